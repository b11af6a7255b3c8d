import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  allHandlersFinished,
  condition,
  executeChild,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { EmailActivities } from '../services/email/activities';
import type { InventoryActivities } from '../services/inventory/activities';
import type { OrdersActivities } from '../services/orders/activities';
import type { PaymentActivities } from '../services/payment/activities';
import { Compensations } from './compensations';
import { workflowCodeBug } from './demo-switches';
import { BusinessErrors } from './errors';
import { rootMessage } from './failures';
import { chargeIdempotencyKey, shipmentWorkflowId } from './ids';
import { approveOrderUpdate, cancelOrderUpdate, orderStatusQuery, rejectOrderUpdate } from './messages';
import { OrderProgress } from './order-progress';
import { ShipmentWorkflow } from './shipment';
import { TaskQueues } from './task-queues';
import type { OrderInput, OrderView } from './types';

// Infrastructure failures (a worker down, a gateway timeout) are retried with backoff and no
// attempt limit: when the service comes back, the order carries on. Business failures are
// listed as non-retryable and end the retries at once.
const retryUntilBack = (nonRetryableErrorTypes: string[] = []): RetryPolicy => ({
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes,
});

const { getOrderPolicy } = proxyLocalActivities<OrdersActivities>({
  // Reads the environment of the orders worker itself: instant.
  startToCloseTimeout: '5s',
});

const inventory = proxyActivities<InventoryActivities>({
  taskQueue: TaskQueues.inventory,
  // A local database update: seconds at most, so a stuck attempt is abandoned quickly.
  startToCloseTimeout: '10s',
  retry: retryUntilBack([BusinessErrors.OutOfStock, BusinessErrors.UnknownSku]),
});

const payment = proxyActivities<PaymentActivities>({
  taskQueue: TaskQueues.payment,
  // The card gateway answers in about a second; 30s covers a slow one without waiting forever.
  startToCloseTimeout: '30s',
  retry: retryUntilBack([BusinessErrors.CardDeclined]),
});

const { authorizePayment } = proxyActivities<PaymentActivities>({
  taskQueue: TaskQueues.payment,
  startToCloseTimeout: '30s',
  // Business deadline: a customer who is not charged within an hour gets the order cancelled, not a surprise charge days later.
  scheduleToCloseTimeout: '1 hour',
  retry: retryUntilBack([BusinessErrors.CardDeclined]),
});

const email = proxyActivities<EmailActivities>({
  taskQueue: TaskQueues.email,
  // One SMTP conversation; 30s is generous for a mail relay.
  startToCloseTimeout: '30s',
  retry: retryUntilBack(),
});

/** The customer cancelled (an update), or a person declined the order. Ends the order with compensation. */
class OrderStopped extends Error {
  constructor(
    readonly status: 'cancelled' | 'rejected',
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * One customer order, from placement to delivery. The workflow id is the order's business key
 * (see ids.ts), so an order can never be processed twice.
 */
export async function OrderWorkflow(order: OrderInput): Promise<OrderView> {
  const { orderId } = order;
  const progress = new OrderProgress(order);
  const compensations = new Compensations();
  let cancellation: string | undefined;
  let decision: { approved: boolean; by: string; reason?: string } | undefined;

  setHandler(orderStatusQuery, () => progress.view());

  setHandler(
    cancelOrderUpdate,
    async ({ reason }) => {
      cancellation ??= reason;
      // Answer once the cancellation is carried out, so the caller sees the final state.
      await condition(() => progress.isFinal());
      return progress.view();
    },
    {
      validator: (_request) => {
        if (progress.isFinal()) throw new Error(`the order is already ${progress.currentStatus}`);
        if (progress.hasShipped()) throw new Error('the order has shipped and can no longer be cancelled');
      },
    },
  );

  const decide = (approved: boolean, by: string, reason?: string): OrderView => {
    decision = { approved, by, reason };
    return progress.view();
  };
  const awaitingDecision = (_decision: object) => {
    if (progress.currentStatus !== 'awaiting_approval' || decision) throw new Error(`the order is not waiting for approval (it is ${progress.currentStatus})`);
  };
  setHandler(approveOrderUpdate, ({ approvedBy }) => decide(true, approvedBy), { validator: awaitingDecision });
  setHandler(rejectOrderUpdate, ({ rejectedBy, reason }) => decide(false, rejectedBy, reason), { validator: awaitingDecision });

  /** Between steps: a cancellation requested meanwhile takes effect here. */
  const stopIfCancelled = () => {
    if (cancellation !== undefined) throw new OrderStopped('cancelled', cancellation);
  };

  const lines = order.lines.map(({ sku, quantity }) => ({ sku, quantity }));
  const charge = { orderId, idempotencyKey: chargeIdempotencyKey(orderId) };
  const policy = await getOrderPolicy();

  try {
    await progress.step('validateOrder', 'received', async () => validateOrder(order));

    if (order.totalCents > policy.approvalThresholdCents) {
      await progress.step('awaitApproval', 'awaiting_approval', async () => {
        const decided = await condition(() => decision !== undefined || cancellation !== undefined, policy.approvalTimeout);
        stopIfCancelled();
        if (!decided) throw new OrderStopped('rejected', `not approved within ${policy.approvalTimeout}`);
        if (!decision!.approved) throw new OrderStopped('rejected', `rejected by ${decision!.by}: ${decision!.reason}`);
      });
    }

    // Each compensation is registered before its step: it is a no-op if the step did nothing,
    // and it covers a step that succeeded on the service's side but whose answer was lost.
    stopIfCancelled();
    compensations.add(() => progress.step('releaseStock', 'compensating', () => inventory.releaseStock({ orderId })));
    await progress.step('reserveStock', 'reserving_stock', () => inventory.reserveStock({ orderId, lines }));

    stopIfCancelled();
    compensations.add(() => progress.step('refundPayment', 'compensating', () => payment.refundPayment(charge)));
    await progress.step('chargePayment', 'charging_payment', async () => {
      await authorizePayment({ ...charge, amountCents: order.totalCents, paymentToken: order.paymentToken });
      await payment.capturePayment(charge);
    });

    stopIfCancelled();
    // The live demo's workflow-code bug; it is on only in the demo's bugged bundle (docs/demo.md).
    if (workflowCodeBug) throw new TypeError('live demo: a bug in the workflow code, between payment and shipping');
    const shipment = await progress.step('shipOrder', 'shipping', () =>
      executeChild(ShipmentWorkflow, {
        workflowId: shipmentWorkflowId(orderId),
        taskQueue: TaskQueues.shipping,
        args: [{ orderId, lines, address: order.shippingAddress, deliveryTimeout: policy.deliveryTimeout }],
      }),
    );
    progress.shipped(shipment);

    await progress.step('commitStock', 'shipping', () => inventory.commitStock({ orderId }));
    await progress.step('sendConfirmation', 'confirming', () =>
      email.sendOrderEmail({ template: 'order-confirmation', order, trackingNumber: shipment.trackingNumber }),
    );
    return await finish(progress.finish('completed'));
  } catch (err) {
    const { status, reason } = outcomeOf(err);
    // Compensation must run to the end even if the workflow itself is being cancelled.
    await CancellationScope.nonCancellable(async () => {
      if (failureType(err) === BusinessErrors.ShipmentLost) {
        // The goods left the warehouse and never arrived: write them off rather than put them back.
        await progress.step('commitStock', 'compensating', () => inventory.commitStock({ orderId }));
      }
      await compensations.run();
      await progress.step('notifyCustomer', 'compensating', () => email.sendOrderEmail({ template: 'order-cancelled', order, reason }));
    });
    return await finish(progress.finish(status, reason));
  }
}

/** Lets running update handlers (a cancel waiting for the outcome) answer before the workflow ends. */
async function finish(view: OrderView): Promise<OrderView> {
  await condition(allHandlersFinished);
  return view;
}

/**
 * How an order that did not complete ended. Only business outcomes are handled here; anything
 * else (a bug in this code) is rethrown, which fails the workflow task: the order waits,
 * untouched, until a fixed version is deployed.
 */
function outcomeOf(err: unknown): { status: 'failed' | 'cancelled' | 'rejected'; reason: string } {
  if (err instanceof OrderStopped) return { status: err.status, reason: err.reason };
  if (isCancellation(err)) return { status: 'cancelled', reason: 'the workflow was cancelled' };
  if (err instanceof ActivityFailure || err instanceof ChildWorkflowFailure || err instanceof ApplicationFailure) {
    return { status: 'failed', reason: rootMessage(err) };
  }
  throw err;
}

/** The type of the business failure behind an error, if there is one (e.g. "ShipmentLost"). */
function failureType(err: unknown): string | undefined {
  for (let current = err; current instanceof Error; current = current.cause) {
    if (current instanceof ApplicationFailure) return current.type ?? undefined;
  }
  return undefined;
}

/** Checks the order's own arithmetic; the API has already checked its shape. */
function validateOrder(order: OrderInput): void {
  const total = order.lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
  const problem =
    order.lines.length === 0 ? 'the order has no lines'
    : order.lines.some((line) => !Number.isInteger(line.quantity) || line.quantity < 1) ? 'every quantity must be a positive whole number'
    : total !== order.totalCents ? `the total ${order.totalCents} does not match the lines (${total})`
    : undefined;
  if (problem) throw ApplicationFailure.create({ type: BusinessErrors.InvalidOrder, message: problem, nonRetryable: true });
}
