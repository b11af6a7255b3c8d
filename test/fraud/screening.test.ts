import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { WorkflowHandle } from '@temporalio/client';
import { approveOrderUpdate } from '../../workflows/messages';
import { recordHistory } from '../support/histories';
import { startOrder, waitForStatus } from '../support/orders';
import { TestStack } from '../support/stack';
import { Stores } from '../support/stores';

// OrderWorkflow (TypeScript) asks the fraud service (Python, services/fraud) about each order
// before it reserves or charges anything, over the shared encrypted wire format.

let stack: TestStack;
let stores: Stores;

// Review above $50, reject above $200: an ordinary test order ($33) is approved.
const FRAUD_POLICY = { FRAUD_REVIEW_ABOVE_CENTS: '5000', FRAUD_REJECT_ABOVE_CENTS: '20000' };
const reviewedOrder = { lines: [{ sku: 'HOODIE-REPLAY', quantity: 1, unitPriceCents: 6000 }] };
const rejectedOrder = { lines: [{ sku: 'HOODIE-REPLAY', quantity: 4, unitPriceCents: 6000 }] };

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'fraud', env: FRAUD_POLICY });
  stores = new Stores(stack.dataDir);
});

afterAll(() => stack?.stop());

/** The fraud service's verdicts on an order, read from its own SQLite store. */
function screenings(orderId: string): { decision: string; rule: string }[] {
  const db = new Database(path.join(stack.dataDir, 'fraud.db'), { readonly: true });
  try {
    return db.prepare('select decision, rule from screenings where order_id = ?').all(orderId) as { decision: string; rule: string }[];
  } finally {
    db.close();
  }
}

/** Waits until the order's screenOrder activity has been picked up by a worker. */
async function waitForScreeningStarted(handle: WorkflowHandle): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { raw } = await handle.describe();
    const screening = raw.pendingActivities?.find((activity) => activity.activityType?.name === 'screenOrder');
    if (screening?.lastStartedTime) return;
    if (Date.now() > deadline) throw new Error('screenOrder was not started within 20s');
    await sleep(100);
  }
}

/** The attempt on which the order's screenOrder activity ended, from the workflow's history. */
async function screeningAttempt(handle: WorkflowHandle): Promise<number | undefined> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'screenOrder');
  const started = events.find(
    (event) => Number(event.activityTaskStartedEventAttributes?.scheduledEventId ?? -1) === Number(scheduled?.eventId ?? -2),
  );
  return started?.activityTaskStartedEventAttributes?.attempt ?? undefined;
}

test('an ordinary order is screened by the Python worker, approved, and completes', async () => {
  const { order, handle } = await startOrder(stack);

  const result = await handle.result();

  expect(result.status).toBe('completed');
  expect(result.timeline.map((entry) => entry.step).slice(0, 3)).toEqual(['validateOrder', 'screenOrder', 'reserveStock']);
  expect(screenings(order.orderId)).toEqual([{ decision: 'approve', rule: 'all-clear' }]);
  expect(stores.ledger(order.orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
  await recordHistory(stack.client, handle.workflowId, 'fraud-screened');
});

test('an order the rules reject is compensated: nothing reserved or charged, the customer told which rule', async () => {
  const { order, handle } = await startOrder(stack, rejectedOrder);

  const result = await handle.result();

  expect(result.status).toBe('failed');
  expect(result.failure).toBe('rejected by fraud screening (rule amount-reject): total 240.00 is above the reject limit 200.00');
  expect(result.timeline.find((entry) => entry.step === 'screenOrder')?.state).toBe('failed');
  expect(screenings(order.orderId)).toEqual([{ decision: 'reject', rule: 'amount-reject' }]);
  expect(stores.reservations(order.orderId)).toEqual([]);
  expect(stores.ledger(order.orderId)).toEqual([]);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-cancelled' }]);
  await recordHistory(stack.client, handle.workflowId, 'fraud-rejected');
});

test('an order the rules send to review waits for a person below the approval threshold, and completes once approved', async () => {
  const { order, handle } = await startOrder(stack, reviewedOrder);

  await waitForStatus(handle, 'awaiting_approval');
  expect(screenings(order.orderId)).toEqual([{ decision: 'review', rule: 'amount-review' }]);
  expect(stores.reservations(order.orderId)).toEqual([]);
  await handle.executeUpdate(approveOrderUpdate, { args: [{ approvedBy: 'grace@shop.example' }] });

  expect((await handle.result()).status).toBe('completed');
  expect(stores.ledger(order.orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
});

test('a malformed screening input fails the order at once, naming the field, and the fraud worker keeps serving', async () => {
  const fraudWorker = stack.workers.get('fraud')!;
  const badAddress = { name: 'Ada', line1: '1 Loop St', city: 'London', postalCode: 'N1 1AA', country: 'gb' };
  const { order, handle } = await startOrder(stack, { shippingAddress: badAddress });

  const result = await handle.result();

  expect(result.status).toBe('failed');
  expect(result.failure).toMatch(/^invalid screening input: shippingCountry: 'gb' does not match/);
  expect(result.timeline.find((entry) => entry.step === 'screenOrder')?.state).toBe('failed');
  expect(await screeningAttempt(handle)).toBe(1);
  expect(stores.ledger(order.orderId)).toEqual([]);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-cancelled' }]);
  expect(fraudWorker.running).toBe(true);
  expect((await fetch(fraudWorker.readyUrl)).status).toBe(200);
  expect((await (await startOrder(stack)).handle.result()).status).toBe('completed');
});

test('the fraud worker SIGKILLed mid-screening: a new one screens the order again and it completes, screened and charged once', async () => {
  await stack.stopWorker('fraud');
  await stack.startWorker('fraud', { FRAUD_SCREENING_DELAY_MS: '60000' });
  const { order, handle } = await startOrder(stack);
  await waitForScreeningStarted(handle);

  await stack.stopWorker('fraud', 'SIGKILL');
  await stack.startWorker('fraud');

  const result = await handle.result();
  expect(result.status).toBe('completed');
  expect(await screeningAttempt(handle)).toBeGreaterThanOrEqual(2);
  expect(screenings(order.orderId)).toEqual([{ decision: 'approve', rule: 'all-clear' }]);
  expect(stores.ledger(order.orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
}, 60_000);
