import type { Duration } from '@temporalio/common';
// The SDK's own parser of durations, the one condition() applies to the same timeout: pure, so replay-safe.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import { msToNumber } from '@temporalio/common/lib/time';
import { condition, setHandler } from '@temporalio/workflow';
import { approveOrderUpdate, cancelOrderUpdate, orderStatusQuery, rejectOrderUpdate } from './messages';
import type { OrderProgress } from './order-progress';

/** A person's answer to an order that waits for approval. */
export interface Decision {
  approved: boolean;
  by: string;
  reason?: string;
}

/** The customer cancelled (an update), or a person declined the order. Ends the order with compensation. */
export class OrderStopped extends Error {
  constructor(
    readonly status: 'cancelled' | 'rejected',
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * What people ask of a running order: its status (a query), and cancel, approve and reject
 * (updates). Each update's validator refuses a request that does not fit the order's state, so
 * the caller hears why; an accepted request takes effect at the next step that checks for it.
 */
export class OrderRequests {
  private cancellation?: string;
  private decision?: Decision;

  constructor(private readonly progress: OrderProgress) {
    setHandler(orderStatusQuery, () => progress.view());
    setHandler(cancelOrderUpdate, ({ reason }) => this.cancel(reason), { validator: (_request) => this.refuseCancelAfterShipping() });
    setHandler(approveOrderUpdate, ({ approvedBy }) => this.decide({ approved: true, by: approvedBy }), {
      validator: (_request) => this.refuseUnlessAwaitingDecision(),
    });
    setHandler(rejectOrderUpdate, ({ rejectedBy, reason }) => this.decide({ approved: false, by: rejectedBy, reason }), {
      validator: (_request) => this.refuseUnlessAwaitingDecision(),
    });
  }

  /** Between steps: a cancellation requested meanwhile takes effect here. */
  stopIfCancelled(): void {
    if (this.cancellation !== undefined) throw new OrderStopped('cancelled', this.cancellation);
  }

  /** Waits up to `timeout` for a person's decision, stating the deadline; undefined if none came in time. A cancellation meanwhile stops the order. */
  async awaitDecision(timeout: Duration): Promise<Decision | undefined> {
    // The workflow's clock: the timer below starts now, so this is when it fires.
    this.progress.awaitingApprovalUntil(new Date(Date.now() + msToNumber(timeout)));
    await condition(() => this.decision !== undefined || this.cancellation !== undefined, timeout);
    this.progress.approvalWaitEnded();
    this.stopIfCancelled();
    return this.decision;
  }

  private async cancel(reason: string) {
    this.cancellation ??= reason;
    // Answer once the cancellation is carried out, so the caller sees the final state.
    await condition(() => this.progress.isFinal());
    return this.progress.view();
  }

  private decide(decision: Decision) {
    this.decision = decision;
    return this.progress.view();
  }

  private refuseCancelAfterShipping(): void {
    if (this.progress.isFinal()) throw new Error(`the order is already ${this.progress.currentStatus}`);
    if (this.progress.hasShipped()) throw new Error('the order has shipped and can no longer be cancelled');
  }

  private refuseUnlessAwaitingDecision(): void {
    if (this.progress.currentStatus !== 'awaiting_approval' || this.decision) {
      throw new Error(`the order is not waiting for approval (it is ${this.progress.currentStatus})`);
    }
  }
}
