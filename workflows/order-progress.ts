import { patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { rootMessage } from './failures';
import { orderStepDetails } from './order-summaries';
import { ApprovalDeadlineKey, OrderStatusKey, orderStartAttributes } from './search-attributes';
import {
  FINAL_STATUSES,
  type OrderInput,
  type OrderStatus,
  type OrderView,
  type ShipmentResult,
  type StepName,
  type TimelineEntry,
} from './types';

type FinalStatus = Extract<OrderStatus, 'completed' | 'failed' | 'cancelled' | 'rejected'>;

// Date.now() inside a workflow is the workflow's clock: deterministic on replay.
const now = (): string => new Date(Date.now()).toISOString();

// The ApprovalDeadline upserts are commands that histories recorded before them lack.
const APPROVAL_DEADLINE_PATCH = 'approval-deadline';

/** The order's status while each step runs. Once the order compensates, every step runs as 'compensating'. */
const STATUS_DURING: Record<StepName, OrderStatus> = {
  validateOrder: 'received',
  screenOrder: 'received',
  awaitApproval: 'awaiting_approval',
  reserveStock: 'reserving_stock',
  chargePayment: 'charging_payment',
  shipOrder: 'shipping',
  commitStock: 'shipping',
  sendConfirmation: 'confirming',
  refundPayment: 'compensating',
  releaseStock: 'compensating',
  notifyCustomer: 'compensating',
};

/**
 * Where an order is: its status, the timeline of its steps, and the search attributes the
 * Web UI filters on. The `status` query answers from here.
 */
export class OrderProgress {
  private status: OrderStatus = 'received';
  private currentStep: StepName | null = null;
  private readonly timeline: TimelineEntry[] = [];
  private shipment?: ShipmentResult;
  private failure?: string;
  private compensating = false;
  private approvalDeadline?: Date;

  constructor(private readonly order: OrderInput) {
    // The same as the API sets at start, so an order started another way (the CLI, a test) has them too.
    upsertSearchAttributes(orderStartAttributes(order));
  }

  /** Runs one named step of the order, recording when it started, ended, and how. */
  async step<T>(name: StepName, run: () => Promise<T>): Promise<T> {
    this.setStatus(this.compensating ? 'compensating' : STATUS_DURING[name]);
    this.currentStep = name;
    setCurrentDetails(orderStepDetails(this.status, name));
    const entry: TimelineEntry = { step: name, state: 'running', startedAt: now() };
    this.timeline.push(entry);
    try {
      const result = await run();
      entry.state = 'completed';
      return result;
    } catch (err) {
      entry.state = 'failed';
      entry.error = rootMessage(err);
      throw err;
    } finally {
      entry.endedAt = now();
      this.currentStep = null;
    }
  }

  /** The order waits for a person's decision until `deadline`: its view and the ApprovalDeadline search attribute say so. */
  awaitingApprovalUntil(deadline: Date): void {
    this.approvalDeadline = deadline;
    if (patched(APPROVAL_DEADLINE_PATCH)) upsertSearchAttributes([{ key: ApprovalDeadlineKey, value: deadline }]);
  }

  /** The wait for a decision is over, answered or not: the deadline no longer applies. */
  approvalWaitEnded(): void {
    this.approvalDeadline = undefined;
    if (patched(APPROVAL_DEADLINE_PATCH)) upsertSearchAttributes([{ key: ApprovalDeadlineKey, value: null }]);
  }

  /** From now on the order is undoing what it did: the steps that follow run as 'compensating'. */
  startCompensating(): void {
    this.compensating = true;
  }

  shipped(shipment: ShipmentResult): void {
    this.shipment = shipment;
  }

  finish(status: FinalStatus, failure?: string): OrderView {
    this.failure = failure;
    this.setStatus(status);
    setCurrentDetails(orderStepDetails(status, null));
    return this.view();
  }

  isFinal(): boolean {
    return FINAL_STATUSES.includes(this.status);
  }

  /** Whether the order has reached the shipment step: from then on it can no longer be cancelled. */
  hasShipped(): boolean {
    return this.timeline.some((entry) => entry.step === 'shipOrder');
  }

  get currentStatus(): OrderStatus {
    return this.status;
  }

  view(): OrderView {
    return {
      orderId: this.order.orderId,
      status: this.status,
      currentStep: this.currentStep,
      totalCents: this.order.totalCents,
      timeline: this.timeline.map((entry) => ({ ...entry })),
      ...(this.approvalDeadline && { approvalDeadline: this.approvalDeadline.toISOString() }),
      ...(this.shipment && { shipment: this.shipment }),
      ...(this.failure && { failure: this.failure }),
    };
  }

  private setStatus(status: OrderStatus): void {
    if (status === this.status) return;
    this.status = status;
    upsertSearchAttributes([{ key: OrderStatusKey, value: status }]);
  }
}
