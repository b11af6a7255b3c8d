import { createInventoryActivities } from '../../services/inventory/activities';
import { inventorySchema, InventoryStore } from '../../services/inventory/store';
import { openTestDatabase } from '../support/databases';
import { ActivityEnv } from '../support/activity-env';

const env = new ActivityEnv();
const seed = [
  { sku: 'MUG', name: 'Mug', priceCents: 1000, initialStock: 10 },
  { sku: 'POSTER', name: 'Poster', priceCents: 5000, initialStock: 2 },
];
let store: InventoryStore;
let inventory: ReturnType<typeof createInventoryActivities>;

beforeEach(async () => {
  store = new InventoryStore(await openTestDatabase(inventorySchema));
  await store.addMissingProducts(seed);
  inventory = createInventoryActivities(store);
});
afterEach(() => store.close());

test('reserving the same order twice takes the stock once', async () => {
  const request = { orderId: 'o-1', lines: [{ sku: 'MUG', quantity: 3 }] };
  await env.run(inventory.reserveStock, request);
  await env.run(inventory.reserveStock, request);
  expect(await store.stock('MUG')).toBe(7);
  expect(await store.reservations('o-1')).toEqual([{ orderId: 'o-1', sku: 'MUG', quantity: 3, status: 'reserved' }]);
});

test('out of stock is a non-retryable OutOfStock failure, and no line of the order is reserved', async () => {
  const attempt = env.run(inventory.reserveStock, {
    orderId: 'o-2',
    lines: [
      { sku: 'MUG', quantity: 1 },
      { sku: 'POSTER', quantity: 3 },
    ],
  });
  await expect(attempt).rejects.toMatchObject({ type: 'OutOfStock', nonRetryable: true });
  expect(await store.stock('MUG')).toBe(10);
  expect(await store.reservations('o-2')).toEqual([]);
});

test('releasing puts the stock back once; releasing again or after commit changes nothing', async () => {
  await env.run(inventory.reserveStock, { orderId: 'o-3', lines: [{ sku: 'MUG', quantity: 4 }] });
  await env.run(inventory.releaseStock, { orderId: 'o-3' });
  await env.run(inventory.releaseStock, { orderId: 'o-3' });
  expect(await store.stock('MUG')).toBe(10);

  await env.run(inventory.reserveStock, { orderId: 'o-4', lines: [{ sku: 'MUG', quantity: 4 }] });
  await env.run(inventory.commitStock, { orderId: 'o-4' });
  await env.run(inventory.releaseStock, { orderId: 'o-4' });
  expect(await store.stock('MUG')).toBe(6);
  expect((await store.reservations('o-4')).map((r) => r.status)).toEqual(['committed']);
});

test('the nightly restock tops up only products below a fifth of their usual stock', async () => {
  await env.run(inventory.reserveStock, {
    orderId: 'o-5',
    lines: [
      { sku: 'MUG', quantity: 9 },
      { sku: 'POSTER', quantity: 1 },
    ],
  });
  expect(await env.run(inventory.restockLowStock)).toEqual([{ sku: 'MUG', added: 9 }]);
  expect(await store.stock('MUG')).toBe(10);
  expect(await store.stock('POSTER')).toBe(1);
});
