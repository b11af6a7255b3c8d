import { executeChild, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type {
  emailActivities,
  fraudActivities,
  inventoryActivities,
  ordersActivities,
  paymentActivities,
  shippingActivities,
} from './activities';
import { BareTaskQueues } from './task-queues';

// The hops of an OrderWorkflow (workflows/order.ts) in the same order and on the same queues,
// with no logic: the latency of these is what Temporal itself costs per order.

const timeouts = { startToCloseTimeout: '30s' } as const;
const { getOrderPolicy } = proxyLocalActivities<typeof ordersActivities>(timeouts);
const inventory = proxyActivities<typeof inventoryActivities>({ ...timeouts, taskQueue: BareTaskQueues.inventory });
const fraud = proxyActivities<typeof fraudActivities>({ ...timeouts, taskQueue: BareTaskQueues.fraud });
const payment = proxyActivities<typeof paymentActivities>({ ...timeouts, taskQueue: BareTaskQueues.payment });
const email = proxyActivities<typeof emailActivities>({ ...timeouts, taskQueue: BareTaskQueues.email });
// Like ShipmentWorkflow: no taskQueue, so its activities run on the child's own (shipping) queue.
const shipping = proxyActivities<typeof shippingActivities>(timeouts);

/** One order's hops: a local activity, the fraud screen, reserve, authorize and capture, a child shipment, commit, email. */
export async function BareOrderWorkflow(orderId: string): Promise<string> {
  await getOrderPolicy();
  await fraud.screenOrder();
  await inventory.reserveStock();
  await payment.authorizePayment();
  await payment.capturePayment();
  await executeChild(BareShipmentWorkflow, { workflowId: `bare-shipment-${orderId}`, taskQueue: BareTaskQueues.shipping, args: [] });
  await inventory.commitStock();
  await email.sendOrderEmail();
  return orderId;
}

/** One shipment's hops: book, then track. */
export async function BareShipmentWorkflow(): Promise<void> {
  await shipping.bookShipment();
  await shipping.trackShipment();
}
