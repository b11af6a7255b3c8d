import { WorkflowUpdateFailedError } from '@temporalio/client';
import { cancelOrderUpdate } from '../../workflows/messages';
import { recordHistory } from '../support/histories';
import { startOrder, waitForStatus } from '../support/orders';
import { TestStack } from '../support/stack';
import { Stores } from '../support/stores';

let stack: TestStack;
let stores: Stores;

beforeAll(async () => {
  // A slow gateway and a slow carrier leave time to cancel in the middle of a step.
  stack = await TestStack.start({ namespace: 'cancellation', env: { PAYMENT_GATEWAY_LATENCY_MS: '1000', SHIPPING_TRANSIT_MS: '4000' } });
  stores = new Stores(stack.dataDir);
});

afterAll(() => stack?.stop());

test('cancelling while the payment is being taken refunds it and releases the stock', async () => {
  const stockBefore = stores.stock('MUG-DURABLE');
  const { order, handle } = await startOrder(stack);
  await waitForStatus(handle, 'charging_payment');

  const view = await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'ordered by mistake' }] });

  expect(view.status).toBe('cancelled');
  expect(stores.ledger(order.orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture', 'refund']);
  expect(stores.reservations(order.orderId).map((r) => r.status)).toEqual(['released', 'released']);
  expect(stores.stock('MUG-DURABLE')).toBe(stockBefore);
  expect(stores.shipments(order.orderId)).toEqual([]);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-cancelled' }]);
  await recordHistory(stack.client, handle.workflowId, 'cancelled-during-payment');
});

test('cancelling after the order has shipped is refused with the reason, and the order completes', async () => {
  const { order, handle } = await startOrder(stack);
  await waitForStatus(handle, 'shipping');

  const cancel = handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'too late' }] });

  await expect(cancel).rejects.toThrow(WorkflowUpdateFailedError);
  await expect(cancel).rejects.toMatchObject({ cause: { message: 'the order has shipped and can no longer be cancelled' } });
  expect((await handle.result()).status).toBe('completed');
  expect(stores.ledger(order.orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
});
