import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { customAlphabet } from 'nanoid';
import { BusinessErrors } from '../../workflows/errors';
import type { CarrierEvent, ShipmentBooking, ShipmentInput, ShipmentResult } from '../../workflows/types';
import { whileHeartbeating } from '../common/heartbeat';
import { formatLabel } from './label';
import type { Shipment, ShippingStore } from './store';

const trackingNumber = customAlphabet('0123456789ABCDEFGHJKLMNPQRSTUVWXYZ', 12);
const CARRIER = 'Temporal Express';

export interface ShippingSettings {
  /** How long the simulated carrier takes from booking to delivery. */
  transitTimeMs: number;
  unservedCountries: string[];
}

/** The shipping service's activities: booking with the (simulated) carrier and following the parcel. */
export function createShippingActivities(store: ShippingStore, settings: ShippingSettings) {
  return {
    /** Books the shipment and prints its label. Booking twice returns the first booking. */
    async bookShipment(input: Omit<ShipmentInput, 'deliveryTimeout'> & { shipmentId: string }): Promise<ShipmentBooking> {
      const existing = await store.shipment(input.shipmentId);
      if (existing) return existing;
      if (settings.unservedCountries.includes(input.address.country.toUpperCase())) {
        throw ApplicationFailure.create({
          type: BusinessErrors.AddressNotServed,
          message: `the carrier does not deliver to ${input.address.country}`,
          nonRetryable: true,
        });
      }
      const tracking = `TX${trackingNumber()}`;
      // The simulated carrier books at once; a real carrier's API would be called the same way.
      const shipment = await whileHeartbeating(() =>
        store.book({
          shipmentId: input.shipmentId,
          orderId: input.orderId,
          carrier: CARRIER,
          trackingNumber: tracking,
          label: formatLabel(tracking, input.address),
          expectedDeliveryAt: new Date(Date.now() + settings.transitTimeMs).toISOString(),
        }),
      );
      log.info('shipment booked', { orderId: input.orderId, trackingNumber: shipment.trackingNumber });
      return shipment;
    },

    /**
     * Follows the parcel until the carrier delivers it. Long-running, so it heartbeats: if this
     * worker dies, Temporal notices within the heartbeat timeout and runs it on another one.
     */
    async trackShipment({ shipmentId }: { shipmentId: string }): Promise<ShipmentResult> {
      const context = Context.current();
      for (;;) {
        const shipment = await store.shipment(shipmentId);
        if (!shipment) throw new Error(`unknown shipment ${shipmentId}`);
        const remainingMs = Date.parse(shipment.expectedDeliveryAt) - Date.now();
        const current = remainingMs <= 0 ? await store.markDelivered(shipmentId) : shipment;
        if (current.status === 'delivered') {
          const { carrier, trackingNumber, deliveredAt } = current;
          return { shipmentId, carrier, trackingNumber, deliveredAt: deliveredAt! };
        }
        context.heartbeat({ status: current.status, remainingMs });
        await context.sleep(Math.min(remainingMs, 500));
      }
    },

    /** Records what the carrier reported about a parcel. */
    async recordCarrierEvent({ shipmentId, event, at }: CarrierEvent & { shipmentId: string }): Promise<Shipment> {
      return event === 'dispatched' ? store.markDispatched(shipmentId, at) : store.markDelivered(shipmentId, at);
    },
  };
}

export type ShippingActivities = ReturnType<typeof createShippingActivities>;
