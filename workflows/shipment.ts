import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  setWorkflowOptions,
  workflowInfo,
} from '@temporalio/workflow';
import type { ShippingActivities } from '../services/shipping/activities';
import { BusinessErrors } from './errors';
import { carrierEventSignal } from './messages';
import { activitySummaries as summaries } from './order-summaries';
import type { CarrierEvent, ShipmentInput, ShipmentResult } from './types';

// No taskQueue here: activities default to the workflow's own queue, the shipping queue, so
// only the shipping service's workers can run them.

const { bookShipment, recordCarrierEvent } = proxyActivities<ShippingActivities>({
  // The carrier's booking API answers in seconds; a minute allows for a slow day.
  startToCloseTimeout: '1 minute',
  // Booking heartbeats while it waits on the carrier, so a dead worker is noticed within 2s, not a minute.
  heartbeatTimeout: '2s',
  // A carrier outage (or a crashing label printer) is temporary: keep trying with backoff.
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    nonRetryableErrorTypes: [BusinessErrors.AddressNotServed],
  },
});

const { trackShipment } = proxyActivities<ShippingActivities>({
  // Transit takes days; the heartbeat, not this, is what detects a dead worker.
  startToCloseTimeout: '30 days',
  // Heartbeats come every half second; 2s without one means the worker is gone, so another one takes over.
  heartbeatTimeout: '2s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// Auto-upgrade: a shipment waits up to DELIVERY_TIMEOUT (days) for its delivery, longer than a shipping build
// should be kept running; so each new build takes it over, and a change to its code goes behind patched().
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, ShipmentWorkflow);

/**
 * A shipment, from booking to delivery. It runs on the shipping service's task queue as a child
 * of the OrderWorkflow, so the shipping team owns it and the Web UI links it to its order.
 * Delivery is known either from the carrier's tracking (an activity that polls it) or from the
 * carrier's own report (the carrierEvent signal), whichever comes first.
 */
export async function ShipmentWorkflow(input: ShipmentInput): Promise<ShipmentResult> {
  const shipmentId = workflowInfo().workflowId;
  const reported: Partial<Record<CarrierEvent['event'], string>> = {};
  setHandler(carrierEventSignal, async ({ event, at }) => {
    if (reported[event]) return;
    reported[event] = at;
    await recordCarrierEvent.executeWithOptions(summaries.recordCarrierEvent(event), [{ shipmentId, event, at }]);
  });

  const { carrier, trackingNumber } = await bookShipment.executeWithOptions(summaries.bookShipment(input.lines), [
    { ...input, shipmentId },
  ]);

  const tracking = new CancellationScope();
  tracking
    .run(() => trackShipment.executeWithOptions(summaries.trackShipment(shipmentId), [{ shipmentId }]))
    // Tracking retries without limit, so it ends only by delivery or by our cancelling it below.
    .then(({ deliveredAt }) => void (reported.delivered ??= deliveredAt))
    .catch(() => undefined);

  const delivered = await condition(() => reported.delivered !== undefined, input.deliveryTimeout);
  tracking.cancel();
  if (!delivered) {
    throw ApplicationFailure.create({
      type: BusinessErrors.ShipmentLost,
      message: `not delivered within ${input.deliveryTimeout}`,
      nonRetryable: true,
    });
  }
  await condition(allHandlersFinished);
  return { shipmentId, carrier, trackingNumber, deliveredAt: reported.delivered! };
}
