import { WorkflowUpdateFailedError } from '@temporalio/client';
import { approveOrderUpdate, cancelOrderUpdate, rejectOrderUpdate } from '../../workflows/messages';
import { ApprovalDeadlineKey } from '../../workflows/search-attributes';
import { recordHistory } from '../support/histories';
import { startOrder, waitForStatus } from '../support/orders';
import { TestStack } from '../support/stack';
import { Stores } from '../support/stores';

let stack: TestStack;
let stores: Stores;

// Above the default approval threshold ($1,000): 17 hoodies at $60.
const bigOrder = { lines: [{ sku: 'HOODIE-REPLAY', quantity: 17, unitPriceCents: 6000 }] };

// APPROVAL_TIMEOUT, in milliseconds.
const APPROVAL_TIMEOUT_MS = 2000;

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'approval', env: { APPROVAL_TIMEOUT: '2s' } });
  stores = new Stores(stack.dataDir);
});

afterAll(() => stack?.stop());

test('an order above the threshold waits for approval, and completes once a person approves it', async () => {
  const { order, handle } = await startOrder(stack, bigOrder);
  await waitForStatus(handle, 'awaiting_approval');
  expect(stores.reservations(order.orderId)).toEqual([]);

  const afterApproval = await handle.executeUpdate(approveOrderUpdate, { args: [{ approvedBy: 'grace@shop.example' }] });
  expect(afterApproval.timeline.some((entry) => entry.step === 'awaitApproval')).toBe(true);

  const result = await handle.result();
  expect(result.status).toBe('completed');
  expect(stores.ledger(order.orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
  await recordHistory(stack.client, handle.workflowId, 'approval-approved');
});

test('a rejected order ends without reserving stock or charging, and the customer is told why', async () => {
  const { order, handle } = await startOrder(stack, bigOrder);
  await waitForStatus(handle, 'awaiting_approval');

  await handle.executeUpdate(rejectOrderUpdate, { args: [{ rejectedBy: 'grace@shop.example', reason: 'suspected fraud' }] });

  const result = await handle.result();
  expect(result.status).toBe('rejected');
  expect(result.failure).toBe('rejected by grace@shop.example: suspected fraud');
  expect(stores.reservations(order.orderId)).toEqual([]);
  expect(stores.ledger(order.orderId)).toEqual([]);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-cancelled' }]);
});

test('an order nobody approves in time is rejected when the approval timer fires', async () => {
  const { order, handle } = await startOrder(stack, bigOrder);

  const result = await handle.result();

  expect(result.status).toBe('rejected');
  expect(result.failure).toBe('not approved within 2s');
  expect(stores.reservations(order.orderId)).toEqual([]);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-cancelled' }]);
  await recordHistory(stack.client, handle.workflowId, 'approval-timed-out');
});

test('approving an order that does not need approval is refused with the reason', async () => {
  const { handle } = await startOrder(stack);

  const approval = handle.executeUpdate(approveOrderUpdate, { args: [{ approvedBy: 'grace@shop.example' }] });

  await expect(approval).rejects.toThrow(WorkflowUpdateFailedError);
  await expect(approval).rejects.toMatchObject({ cause: { message: expect.stringMatching(/not waiting for approval/) } });
  expect((await handle.result()).status).toBe('completed');
});

test('a customer can cancel an order that is waiting for approval', async () => {
  const { order, handle } = await startOrder(stack, bigOrder);
  await waitForStatus(handle, 'awaiting_approval');

  const view = await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'changed my mind' }] });

  expect(view.status).toBe('cancelled');
  expect(view.failure).toBe('changed my mind');
  expect(stores.reservations(order.orderId)).toEqual([]);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-cancelled' }]);
});

test('an order waiting for approval states its deadline, the start of the wait plus the timeout, and drops it once the wait is over', async () => {
  const { handle } = await startOrder(stack, bigOrder);
  const waiting = await waitForStatus(handle, 'awaiting_approval');
  const waitStarted = Date.parse(waiting.timeline.find((entry) => entry.step === 'awaitApproval')!.startedAt);

  expect(Date.parse(waiting.approvalDeadline!) - waitStarted).toBe(APPROVAL_TIMEOUT_MS);
  // The description reads the workflow's own search attributes, not eventually consistent Visibility.
  const described = await handle.describe();
  expect(described.typedSearchAttributes.get(ApprovalDeadlineKey)?.toISOString()).toBe(waiting.approvalDeadline);

  const result = await handle.result();
  expect(result.status).toBe('rejected');
  expect(result.approvalDeadline).toBeUndefined();
  expect((await handle.describe()).typedSearchAttributes.get(ApprovalDeadlineKey)).toBeUndefined();
});
