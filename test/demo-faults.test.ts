import fs from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { FAULT_NAMES, FAULTS, preloading } from '../scripts/demo/faults';
import { labelBug } from '../scripts/demo/faults/label-bug';
import { projectRoot } from '../services/common/paths';
import { createShippingActivities } from '../services/shipping/activities';
import { shippingSchema, ShippingStore } from '../services/shipping/store';
import { openTestDatabase } from './support/databases';

// The live demo's faults come from modules preloaded into a worker, never from the reference
// code. The scenes that use them run for real in test/demo.test.ts and test/orders/resilience.test.ts.

const address = { name: 'Ada', line1: '1 Loop St', city: 'London', postalCode: 'N1', country: 'GB' };
const booking = { shipmentId: 'shipment-o-1', orderId: 'o-1', lines: [{ sku: 'MUG', quantity: 1 }], address };
let store: ShippingStore;

beforeEach(async () => {
  store = new ShippingStore(await openTestDatabase(shippingSchema));
});
afterEach(() => store.close());

const shippingWith = (activityType: string) => new MockActivityEnvironment({ activityType }, { interceptors: [labelBug] });

test("the label bug crashes bookShipment with a TypeError, as the demo's bugged build does, and books nothing", async () => {
  const { bookShipment } = createShippingActivities(store, { transitTimeMs: 300, unservedCountries: [] });
  await expect(shippingWith('bookShipment').run(bookShipment, booking)).rejects.toThrow(/^Cannot read properties of undefined/);
  expect(await store.shipmentsForOrder('o-1')).toEqual([]);
});

test('the label bug leaves every other shipping activity alone', async () => {
  const { bookShipment, recordCarrierEvent } = createShippingActivities(store, { transitTimeMs: 300, unservedCountries: [] });
  await new MockActivityEnvironment().run(bookShipment, booking);
  const recorded = await shippingWith('recordCarrierEvent').run(recordCarrierEvent, {
    shipmentId: 'shipment-o-1',
    event: 'dispatched' as const,
    at: new Date().toISOString(),
  });
  expect((recorded as { status: string }).status).toBe('in_transit');
});

test('each fault is a compiled module that NODE_OPTIONS can preload', () => {
  for (const fault of FAULT_NAMES) {
    expect(fs.existsSync(FAULTS[fault])).toBe(true);
    expect(preloading(fault)).toBe(`--require "${FAULTS[fault]}"`);
  }
});

test('the reference code (workflows/ and services/) has no demo switch and imports nothing of the demo', () => {
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      return entry.isDirectory() ? sources(file) : file.endsWith('.ts') ? [file] : [];
    });
  const offenders = ['workflows', 'services']
    .flatMap((dir) => sources(path.join(projectRoot, dir)))
    .filter((file) => /_BUG\b|labelBug|workflowCodeBug|demo-switches|from '[^']*scripts\/demo/.test(fs.readFileSync(file, 'utf8')))
    .map((file) => path.relative(projectRoot, file));
  expect(offenders).toEqual([]);
});
