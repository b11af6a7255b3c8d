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
  setWorkflowOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { EmailActivities } from '../services/email/activities';
import type { InventoryActivities } from '../services/inventory/activities';
import type { OrdersActivities } from '../services/orders/activities';
import type { PaymentActivities } from '../services/payment/activities';
import { Compensations } from './compensations';
import { BusinessErrors } from './errors';
import { rootMessage } from './failures';
import { screenForFraud } from './fraud-screening';
import { chargeIdempotencyKey, shipmentWorkflowId } from './ids';
import { countOrderCompensated, countOrderCompleted, countOrderPlaced, timeApprovalWait } from './order-metrics';
import { OrderProgress } from './order-progress';
import { activitySummaries as summaries, shipmentMetadata } from './order-summaries';
import { OrderRequests, OrderStopped } from './order-requests';
import { ShipmentWorkflow } from './shipment';
import { TaskQueues } from './task-queues';
import type { OrderInput, OrderLine, OrderView, ShipmentResult } from './types';

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
  // One transaction on the service's own database: milliseconds. If its worker dies, the order waits this long, then retries.
  startToCloseTimeout: '3s',
  retry: retryUntilBack([BusinessErrors.OutOfStock, BusinessErrors.UnknownSku]),
});

// A call to another system may be slow, so its start-to-close is generous; it heartbeats while it
// waits (services/common/heartbeat.ts), so a dead worker is noticed within the heartbeat timeout.
const whileWaitingOnAnotherSystem = { heartbeatTimeout: '2s' } as const;

const payment = proxyActivities<PaymentActivities>({
  taskQueue: TaskQueues.payment,
  // The card gateway answers in about a second; 30s covers a slow one without waiting forever.
  startToCloseTimeout: '30s',
  ...whileWaitingOnAnotherSystem,
  retry: retryUntilBack([BusinessErrors.CardDeclined]),
});

const { authorizePayment } = proxyActivities<PaymentActivities>({
  taskQueue: TaskQueues.payment,
  startToCloseTimeout: '30s',
  ...whileWaitingOnAnotherSystem,
  // Business deadline: a customer who is not charged within an hour gets the order cancelled, not a surprise charge days later.
  scheduleToCloseTimeout: '1 hour',
  retry: retryUntilBack([BusinessErrors.CardDeclined]),
});

const email = proxyActivities<EmailActivities>({
  taskQueue: TaskQueues.email,
  // One SMTP conversation; 30s is generous for a mail relay.
  startToCloseTimeout: '30s',
  ...whileWaitingOnAnotherSystem,
  retry: retryUntilBack(),
});

/** What every step of one order works with. */
interface OrderRun {
  order: OrderInput;
  progress: OrderProgress;
  requests: OrderRequests;
  /** The saga's undo list: each step that changes another service's data registers its compensation first. */
  saga: Compensations;
}

// Pinned: an order finishes on the build it started on, so a new build never replays an old order's history.
setWorkflowOptions({ versioningBehavior: 'PINNED' }, OrderWorkflow);

/**
 * One customer order, from placement to delivery. The workflow id is the order's business key
 * (see ids.ts), so an order can never be processed twice.
 */
export async function OrderWorkflow(order: OrderInput): Promise<OrderView> {
  const progress = new OrderProgress(order);
  const run: OrderRun = { order, progress, requests: new OrderRequests(progress), saga: new Compensations() };
  countOrderPlaced();
  const policy = await getOrderPolicy();

  try {
    await progress.step('validateOrder', async () => validateOrder(order));
    const flaggedForReview = await screenForFraud(order, progress);
    if (flaggedForReview || order.totalCents > policy.approvalThresholdCents) await awaitApproval(run, policy.approvalTimeout);
    await reserveStock(run);
    await chargePayment(run);
    const shipment = await shipOrder(run, policy.deliveryTimeout);
    await confirm(run, shipment);
    countOrderCompleted();
    return await finish(progress.finish('completed'));
  } catch (err) {
    const { status, reason } = outcomeOf(err);
    await compensate(run, err, reason);
    countOrderCompensated(err, status);
    return await finish(progress.finish(status, reason));
  }
}

/** Large orders wait for a person: approved, the order goes on; rejected or not answered in time, it stops. */
async function awaitApproval({ progress, requests }: OrderRun, timeout: Duration): Promise<void> {
  await progress.step('awaitApproval', async () => {
    const decision = await timeApprovalWait(requests.awaitDecision(timeout));
    if (!decision) throw new OrderStopped('rejected', `not approved within ${timeout}`);
    if (!decision.approved) throw new OrderStopped('rejected', `rejected by ${decision.by}: ${decision.reason}`);
  });
}

// Each compensation is registered before its step: it is a no-op if the step did nothing, and it
// covers a step that succeeded on the service's side but whose answer was lost.

async function reserveStock({ order: { orderId, lines }, progress, requests, saga }: OrderRun): Promise<void> {
  requests.stopIfCancelled();
  saga.add(() =>
    progress.step('releaseStock', () => inventory.releaseStock.executeWithOptions(summaries.releaseStock(orderId), [{ orderId }])),
  );
  await progress.step('reserveStock', () =>
    inventory.reserveStock.executeWithOptions(summaries.reserveStock(lines), [{ orderId, lines: stockLines(lines) }]),
  );
}

async function chargePayment({ order, progress, requests, saga }: OrderRun): Promise<void> {
  requests.stopIfCancelled();
  const charge = { orderId: order.orderId, idempotencyKey: chargeIdempotencyKey(order.orderId) };
  saga.add(() =>
    progress.step('refundPayment', () => payment.refundPayment.executeWithOptions(summaries.refundPayment(order.totalCents), [charge])),
  );
  await progress.step('chargePayment', async () => {
    await authorizePayment.executeWithOptions(summaries.authorizePayment(order.totalCents, order.paymentToken), [
      { ...charge, amountCents: order.totalCents, paymentToken: order.paymentToken },
    ]);
    await payment.capturePayment.executeWithOptions(summaries.capturePayment(order.totalCents), [charge]);
  });
}

/** The shipment is a child workflow on the shipping service's queue; the order cannot be cancelled from here on. */
async function shipOrder({ order, progress, requests }: OrderRun, deliveryTimeout: Duration): Promise<ShipmentResult> {
  requests.stopIfCancelled();
  const shipment = await progress.step('shipOrder', () =>
    executeChild(ShipmentWorkflow, {
      workflowId: shipmentWorkflowId(order.orderId),
      taskQueue: TaskQueues.shipping,
      ...shipmentMetadata(order),
      args: [{ orderId: order.orderId, lines: stockLines(order.lines), address: order.shippingAddress, deliveryTimeout }],
    }),
  );
  progress.shipped(shipment);
  return shipment;
}

/** The goods have left for good, and the customer hears so. */
async function confirm({ order, progress }: OrderRun, shipment: ShipmentResult): Promise<void> {
  await progress.step('commitStock', () =>
    inventory.commitStock.executeWithOptions(summaries.commitStock(order.orderId), [{ orderId: order.orderId }]),
  );
  await progress.step('sendConfirmation', () =>
    email.sendOrderEmail.executeWithOptions(summaries.sendOrderEmail('order-confirmation'), [
      { template: 'order-confirmation', order, trackingNumber: shipment.trackingNumber },
    ]),
  );
}

/** Undoes what the order did, newest first, and tells the customer why. */
async function compensate({ order, progress, saga }: OrderRun, err: unknown, reason: string): Promise<void> {
  progress.startCompensating();
  // Compensation must run to the end even if the workflow itself is being cancelled.
  await CancellationScope.nonCancellable(async () => {
    if (failureType(err) === BusinessErrors.ShipmentLost) {
      // The goods left the warehouse and never arrived: write them off rather than put them back.
      await progress.step('commitStock', () =>
        inventory.commitStock.executeWithOptions(summaries.commitStock(order.orderId), [{ orderId: order.orderId }]),
      );
    }
    await saga.run();
    await progress.step('notifyCustomer', () =>
      email.sendOrderEmail.executeWithOptions(summaries.sendOrderEmail('order-cancelled'), [
        { template: 'order-cancelled', order, reason },
      ]),
    );
  });
}

/** The stock lines of an order: what and how many, without prices. */
const stockLines = (lines: OrderLine[]) => lines.map(({ sku, quantity }) => ({ sku, quantity }));

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
    order.lines.length === 0
      ? 'the order has no lines'
      : order.lines.some((line) => !Number.isInteger(line.quantity) || line.quantity < 1)
        ? 'every quantity must be a positive whole number'
        : total !== order.totalCents
          ? `the total ${order.totalCents} does not match the lines (${total})`
          : undefined;
  if (problem) throw ApplicationFailure.create({ type: BusinessErrors.InvalidOrder, message: problem, nonRetryable: true });
}
