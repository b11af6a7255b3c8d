import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ShippingActivities } from '../services/shipping/activities';
import type { ShipmentInput, ShipmentResult } from './types';

const { bookShipment } = proxyActivities<ShippingActivities>({
  // The carrier's booking API answers in seconds; a minute allows for a slow day.
  startToCloseTimeout: '1 minute',
  // A carrier outage is temporary: keep trying with backoff until it is back.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const { trackShipment } = proxyActivities<ShippingActivities>({
  // Transit takes as long as it takes; the heartbeat, not this, detects a dead worker.
  startToCloseTimeout: '7 days',
  // Heartbeats come every half second; 10s without one means the worker is gone.
  heartbeatTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * A shipment, from booking to delivery. It runs on the shipping service's task queue as a child
 * of the OrderWorkflow, so the shipping team owns it and the Web UI links it to its order.
 * Its activities inherit its task queue: no other service's worker can pick them up.
 */
export async function ShipmentWorkflow(input: ShipmentInput): Promise<ShipmentResult> {
  const shipmentId = workflowInfo().workflowId;
  await bookShipment({ ...input, shipmentId });
  return await trackShipment({ shipmentId });
}
