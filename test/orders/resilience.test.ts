import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { preloading } from '../../scripts/demo/faults';
import { shipmentWorkflowId } from '../../workflows/ids';
import type { FastifyInstance } from 'fastify';
import type { OrderView } from '../../workflows/types';
import { listeningApi, startOrder, waitForStatus } from '../support/orders';
import { TestStack } from '../support/stack';
import { Stores } from '../support/stores';

let stack: TestStack;
let stores: Stores;
let api: { app: FastifyInstance; url: string };

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'resilience' });
  stores = new Stores(stack.dataDir);
  api = await listeningApi(stack);
});

afterAll(async () => {
  await api?.app.close();
  await stack?.stop();
});

/** The running step of an order, as GET /orders/:id reports it. */
async function runningStep(orderId: string) {
  const view = (await (await fetch(`${api.url}/orders/${orderId}`)).json()) as OrderView;
  return view.timeline.find((entry) => entry.state === 'running');
}

type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;

/** Waits until the workflow has a pending activity that matches. */
async function waitForPendingActivity(
  handle: WorkflowHandle,
  matches: (activity: PendingActivity) => boolean,
  timeoutMs = 20_000,
): Promise<PendingActivity> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A child workflow may not have started yet: that is "nothing pending" too.
    const description = await handle.describe().catch((err) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
    const pending = description?.raw.pendingActivities ?? [];
    const found = pending.find(matches);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching pending activity after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** The attempt numbers with which an activity type was started, from a workflow's history. */
async function attemptsOf(handle: WorkflowHandle, activityType: string): Promise<number[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const types = new Map<string, string>();
  const attempts: number[] = [];
  for (const event of events) {
    if (event.activityTaskScheduledEventAttributes)
      types.set(String(event.eventId), event.activityTaskScheduledEventAttributes.activityType!.name!);
    const started = event.activityTaskStartedEventAttributes;
    if (started && types.get(String(started.scheduledEventId)) === activityType) attempts.push(started.attempt!);
  }
  return attempts;
}

test('transient gateway errors are retried with backoff until the gateway is back, and the order is charged once', async () => {
  await stack.stopWorker('payment');
  await stack.startWorker('payment', { PAYMENT_GATEWAY_FAILURE_RATE: '1' });
  const { order, handle } = await startOrder(stack);

  const failing = await waitForPendingActivity(handle, (a) => a.activityType?.name === 'authorizePayment' && (a.attempt ?? 0) >= 3);
  expect(failing.lastFailure?.message).toMatch(/card gateway unavailable/);
  expect(await runningStep(order.orderId)).toMatchObject({
    step: 'chargePayment',
    attempts: expect.any(Number),
    error: expect.stringMatching(/card gateway unavailable/),
  });

  await stack.stopWorker('payment');
  await stack.startWorker('payment', { PAYMENT_GATEWAY_FAILURE_RATE: '0' });
  expect((await handle.result()).status).toBe('completed');

  const attempts = await attemptsOf(handle, 'authorizePayment');
  expect(attempts.length).toBe(1); // the history records the last attempt's start only
  expect(attempts[0]).toBeGreaterThanOrEqual(3);
  expect(stores.ledger(order.orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
});

test('re-running every activity of a finished order (a reset) charges, reserves, ships and emails once', async () => {
  const { order, handle } = await startOrder(stack);
  await handle.result();
  const firstTask = ((await handle.fetchHistory()).events ?? []).find((event) => event.workflowTaskCompletedEventAttributes)!;

  const { runId } = await stack.client.workflowService.resetWorkflowExecution({
    namespace: stack.namespace,
    workflowExecution: { workflowId: handle.workflowId },
    workflowTaskFinishEventId: firstTask.eventId,
    reason: 'test: run every side effect again',
    requestId: `reset-${order.orderId}`,
  });
  const rerun = stack.client.workflow.getHandle(handle.workflowId, runId!);
  expect((await rerun.result()).status).toBe('completed');

  expect(await attemptsOf(rerun, 'authorizePayment')).toEqual([1]);
  expect(stores.ledger(order.orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
  expect(stores.reservations(order.orderId).map((r) => [r.quantity, r.status])).toEqual([
    [2, 'committed'],
    [1, 'committed'],
  ]);
  expect(stores.shipments(order.orderId)).toEqual([{ status: 'delivered' }]);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-confirmation' }]);
});

test('a worker killed with SIGKILL in the middle of an activity: another takes over and the order completes once', async () => {
  await stack.stopWorker('shipping');
  await stack.startWorker('shipping', { SHIPPING_TRANSIT_MS: '3000' });
  const stockBefore = stores.stock('MUG-DURABLE');
  const { order, handle } = await startOrder(stack);
  await waitForStatus(handle, 'shipping');
  const shipment = stack.client.workflow.getHandle(shipmentWorkflowId(order.orderId));
  await waitForPendingActivity(shipment, (a) => a.activityType?.name === 'trackShipment' && a.heartbeatDetails != null);

  await stack.stopWorker('shipping', 'SIGKILL');
  await stack.startWorker('shipping', { SHIPPING_TRANSIT_MS: '3000' });

  expect((await handle.result()).status).toBe('completed');
  // The heartbeat timeout noticed the dead worker; the second attempt ran on the new one.
  expect(await attemptsOf(shipment, 'trackShipment')).toEqual([2]);
  expect(stores.ledger(order.orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
  expect(stores.reservations(order.orderId).map((r) => r.status)).toEqual(['committed', 'committed']);
  expect(stores.stock('MUG-DURABLE')).toBe(stockBefore - 2);
  expect(stores.shipments(order.orderId)).toEqual([{ status: 'delivered' }]);
  expect(stores.emails(order.orderId)).toEqual([{ template: 'order-confirmation' }]);
}, 60_000);

test('a bugged shipping pod leaves orders retrying at shipping, visibly, and the fixed pod completes them once', async () => {
  await stack.stopWorker('shipping');
  await stack.startWorker('shipping', { NODE_OPTIONS: preloading('labelBug') });
  const { order, handle } = await startOrder(stack);
  await waitForPendingActivity(stack.client.workflow.getHandle(shipmentWorkflowId(order.orderId)), (a) => (a.attempt ?? 0) >= 2);

  const stuck = await runningStep(order.orderId);
  expect(stuck).toMatchObject({ step: 'shipOrder', error: expect.stringMatching(/Cannot read properties of undefined/) });
  expect(stuck?.attempts).toBeGreaterThanOrEqual(2);

  await stack.stopWorker('shipping');
  await stack.startWorker('shipping');
  expect((await handle.result()).status).toBe('completed');
  expect(stores.shipments(order.orderId)).toEqual([{ status: 'delivered' }]);
  expect(stores.ledger(order.orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
}, 60_000);

test('a shipment not delivered within the delivery timeout is declared lost: the customer is refunded and the goods written off', async () => {
  await Promise.all([stack.stopWorker('orders'), stack.stopWorker('shipping')]);
  await Promise.all([
    stack.startWorker('orders', { DELIVERY_TIMEOUT: '2s' }),
    stack.startWorker('shipping', { SHIPPING_TRANSIT_MS: '600000' }),
  ]);
  const stockBefore = stores.stock('MUG-DURABLE');
  try {
    const { order, handle } = await startOrder(stack);

    const result = await handle.result();

    expect(result.status).toBe('failed');
    expect(result.failure).toBe('not delivered within 2s');
    expect(stores.ledger(order.orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture', 'refund']);
    expect(stores.reservations(order.orderId).map((r) => r.status)).toEqual(['committed', 'committed']);
    expect(stores.stock('MUG-DURABLE')).toBe(stockBefore - 2);
    expect(stores.emails(order.orderId)).toEqual([{ template: 'order-cancelled' }]);
  } finally {
    await Promise.all([stack.stopWorker('orders'), stack.stopWorker('shipping')]);
    await Promise.all([stack.startWorker('orders'), stack.startWorker('shipping')]);
  }
}, 60_000);
