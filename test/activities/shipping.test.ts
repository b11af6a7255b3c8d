import { createShippingActivities } from '../../services/shipping/activities';
import { shippingSchema, ShippingStore } from '../../services/shipping/store';
import { openTestDatabase } from '../support/databases';
import { ActivityEnv } from '../support/activity-env';

let store: ShippingStore;
const settings = { transitTimeMs: 300, unservedCountries: ['AQ'] };
const address = { name: 'Ada', line1: '1 Loop St', city: 'London', postalCode: 'N1', country: 'GB' };
const booking = { shipmentId: 'shipment-o-1', orderId: 'o-1', lines: [{ sku: 'MUG', quantity: 1 }], address };

beforeEach(async () => {
  store = new ShippingStore(await openTestDatabase(shippingSchema));
});
afterEach(() => store.close());

test('booking the same shipment twice returns the first booking', async () => {
  const { bookShipment } = createShippingActivities(store, settings);
  const env = new ActivityEnv();
  const first = await env.run(bookShipment, booking);
  const second = await env.run(bookShipment, booking);
  expect(second.trackingNumber).toBe(first.trackingNumber);
  expect(first.label).toContain(`TRACKING ${first.trackingNumber}`);
  expect(await store.shipmentsForOrder('o-1')).toHaveLength(1);
});

test('an address the carrier does not serve is a non-retryable AddressNotServed failure', async () => {
  const { bookShipment } = createShippingActivities(store, settings);
  const attempt = new ActivityEnv().run(bookShipment, { ...booking, address: { ...address, country: 'AQ' } });
  await expect(attempt).rejects.toMatchObject({ type: 'AddressNotServed', nonRetryable: true });
  expect(await store.shipmentsForOrder('o-1')).toEqual([]);
});

test('tracking heartbeats while the parcel is in transit and returns once it is delivered', async () => {
  const { bookShipment, trackShipment } = createShippingActivities(store, settings);
  const env = new ActivityEnv();
  await env.run(bookShipment, booking);

  const result = await env.run(trackShipment, { shipmentId: 'shipment-o-1' });

  expect(result.deliveredAt).toEqual(expect.any(String));
  expect(env.heartbeats.length).toBeGreaterThan(0);
  expect(env.heartbeats[0]).toMatchObject({ status: 'booked' });
  expect((await store.shipment('shipment-o-1'))?.status).toBe('delivered');
});
