import { executeChild, proxyActivities, setHandler, type RetryPolicy } from '@temporalio/workflow';
import type { EmailActivities } from '../services/email/activities';
import type { InventoryActivities } from '../services/inventory/activities';
import type { PaymentActivities } from '../services/payment/activities';
import { BusinessErrors } from './errors';
import { chargeIdempotencyKey, shipmentWorkflowId } from './ids';
import { orderStatusQuery } from './messages';
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

const email = proxyActivities<EmailActivities>({
  taskQueue: TaskQueues.email,
  // One SMTP conversation; 30s is generous for a mail relay.
  startToCloseTimeout: '30s',
  retry: retryUntilBack(),
});

/**
 * One customer order, from placement to confirmation. The workflow id is the order's business
 * key (see ids.ts), so an order can never be processed twice.
 */
export async function OrderWorkflow(order: OrderInput): Promise<OrderView> {
  const progress = new OrderProgress(order);
  setHandler(orderStatusQuery, () => progress.view());

  const { orderId } = order;
  const lines = order.lines.map(({ sku, quantity }) => ({ sku, quantity }));
  const charge = { orderId, idempotencyKey: chargeIdempotencyKey(orderId) };

  await progress.step('reserveStock', 'reserving_stock', () => inventory.reserveStock({ orderId, lines }));

  await progress.step('chargePayment', 'charging_payment', async () => {
    await payment.authorizePayment({ ...charge, amountCents: order.totalCents, paymentToken: order.paymentToken });
    await payment.capturePayment(charge);
  });

  const shipment = await progress.step('shipOrder', 'shipping', () =>
    executeChild(ShipmentWorkflow, {
      workflowId: shipmentWorkflowId(orderId),
      taskQueue: TaskQueues.shipping,
      args: [{ orderId, lines, address: order.shippingAddress }],
    }),
  );
  progress.shipped(shipment);

  await progress.step('commitStock', 'shipping', () => inventory.commitStock({ orderId }));

  await progress.step('sendConfirmation', 'confirming', () =>
    email.sendOrderEmail({ template: 'order-confirmation', order, trackingNumber: shipment.trackingNumber }),
  );

  return progress.finish('completed');
}
