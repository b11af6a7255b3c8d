import { shipmentWorkflowId } from '../../workflows/ids';
import { recordHistory } from '../support/histories';
import { startOrder } from '../support/orders';
import { TestStack } from '../support/stack';
import { Stores } from '../support/stores';

let stack: TestStack;
let stores: Stores;

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'compensation' });
  stores = new Stores(stack.dataDir);
});

afterAll(() => stack?.stop());

test('a completed order leaves one charge, committed stock, a delivered shipment and one confirmation', async () => {
  const stockBefore = stores.stock('MUG-DURABLE');
  const { order, handle } = await startOrder(stack);

  const result = await handle.result();

  expect(result.status).toBe('completed');
  expect(stores.ledger(order.orderId)).toEqual([
    { movement: 'authorize', amountCents: 3300 },
    { movement: 'capture', amountCents: 3300 },
  ]);
  expect(stores.reservations(order.orderId).map((r) => r.status)).toEqual(['committed', 'committed']);
  expect(stores.stock('MUG-DURABLE')).toBe(stockBefore - 2);
  expect(stores.shipments(order.orderId)).toEqual([{ status: 'delivered' }]);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-confirmation' }]);
  await recordHistory(stack.client, handle.workflowId, 'happy-path');
  await recordHistory(stack.client, shipmentWorkflowId(order.orderId), 'shipment-delivered');
});

test('a declined card releases the reserved stock and charges nothing', async () => {
  const stockBefore = stores.stock('MUG-DURABLE');
  const { order, handle } = await startOrder(stack, { paymentToken: 'tok_declined' });

  const result = await handle.result();

  expect(result.status).toBe('failed');
  expect(result.failure).toMatch(/declined/);
  expect(result.timeline.find((entry) => entry.step === 'chargePayment')).toMatchObject({ state: 'failed' });
  expect(stores.ledger(order.orderId)).toEqual([]);
  expect(stores.reservations(order.orderId).map((r) => r.status)).toEqual(['released', 'released']);
  expect(stores.stock('MUG-DURABLE')).toBe(stockBefore);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-cancelled' }]);
  await recordHistory(stack.client, handle.workflowId, 'declined-card');
});

test('an order for more than is in stock fails without reserving or charging anything', async () => {
  const stockBefore = stores.stock('POSTER-LIMITED');
  const { order, handle } = await startOrder(stack, {
    lines: [{ sku: 'POSTER-LIMITED', quantity: stockBefore + 1, unitPriceCents: 15000 }],
  });

  const result = await handle.result();

  expect(result.status).toBe('failed');
  expect(result.failure).toMatch(/only \d+ of POSTER-LIMITED left/);
  expect(stores.reservations(order.orderId)).toEqual([]);
  expect(stores.stock('POSTER-LIMITED')).toBe(stockBefore);
  expect(stores.ledger(order.orderId)).toEqual([]);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-cancelled' }]);
});

test('when shipping fails after payment, the payment is refunded and the stock released, in reverse order', async () => {
  const stockBefore = stores.stock('MUG-DURABLE');
  const unserved = { name: 'Research Station', line1: '1 Ice Shelf', city: 'McMurdo', postalCode: '0000', country: 'AQ' };
  const { order, handle } = await startOrder(stack, { shippingAddress: unserved });

  const result = await handle.result();

  expect(result.status).toBe('failed');
  expect(result.failure).toMatch(/does not deliver to AQ/);
  expect(stores.ledger(order.orderId)).toEqual([
    { movement: 'authorize', amountCents: 3300 },
    { movement: 'capture', amountCents: 3300 },
    { movement: 'refund', amountCents: 3300 },
  ]);
  expect(stores.reservations(order.orderId).map((r) => r.status)).toEqual(['released', 'released']);
  expect(stores.stock('MUG-DURABLE')).toBe(stockBefore);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-cancelled' }]);
  // Compensations ran newest first: the refund before the release, then the customer was told.
  expect(result.timeline.map((entry) => entry.step).slice(-3)).toEqual(['refundPayment', 'releaseStock', 'notifyCustomer']);
  await recordHistory(stack.client, handle.workflowId, 'shipping-failed-compensation');
});
