import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { orderWorkflowId } from '../../workflows/ids';
import type { OrderView } from '../../workflows/types';
import { orderRequest } from '../support/orders';
import { TestStack } from '../support/stack';
import { Stores } from '../support/stores';
import { eventually, listeningTestApp, readEvents, type ServerSentEvent } from './support';

// The API against the real system: every worker running, each on its own task queue.

let stack: TestStack;
let stores: Stores;
let api: { app: FastifyInstance; url: string };
const logLines: Record<string, unknown>[] = [];

// Orders above $100 wait for approval; the carrier never delivers by itself within a test, so
// each test moves its shipment along through the carrier route when it wants to.
const APPROVAL_THRESHOLD_CENTS = 10_000;
const APPROVAL_TIMEOUT_MS = 24 * 3600 * 1000;
const bigOrder = () => orderRequest({ items: [{ sku: 'HOODIE-REPLAY', quantity: 2 }] });

beforeAll(async () => {
  stack = await TestStack.start({
    namespace: 'api-stack',
    env: {
      APPROVAL_THRESHOLD_CENTS: String(APPROVAL_THRESHOLD_CENTS),
      APPROVAL_TIMEOUT: '24 hours',
      SHIPPING_TRANSIT_MS: '600000',
      PAYMENT_GATEWAY_LATENCY_MS: '200',
    },
  });
  stores = new Stores(stack.dataDir);
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((line) => logLines.push(JSON.parse(line))),
  );
  api = await listeningTestApp(stack.client, {
    logLevel: 'info',
    logStream,
    temporalTimeoutMs: 5000,
    eventsPollMs: 250,
  });
}, 120_000);

afterAll(async () => {
  await api?.app.close();
  await stack?.stop();
});

const post = (url: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  fetch(`${api.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const getJson = async (url: string) => (await fetch(`${api.url}${url}`)).json();

type OrderPage = { orders: { orderId: string; approvalDeadline?: string }[] };

async function placeOrder(body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const res = await post('/orders', body, headers);
  expect(res.status).toBe(201);
  return ((await res.json()) as { orderId: string }).orderId;
}

/** Polls GET /orders/:id until the order has `status`. */
const statusOf = (orderId: string, status: string, timeoutMs = 30_000) =>
  eventually(async () => {
    const view = (await getJson(`/orders/${orderId}`)) as OrderView;
    expect(view.status).toBe(status);
    return view;
  }, timeoutMs);

const deliver = (orderId: string) => post(`/shipments/${orderId}/events`, { event: 'delivered' });

test('an order above the threshold waits; approving it through the API lets it complete, and approving again is a 409 with the reason', async () => {
  const orderId = await placeOrder(bigOrder());
  await statusOf(orderId, 'awaiting_approval');

  const approved = await post(`/orders/${orderId}/approve`, { approvedBy: 'grace@shop.example' });
  expect(approved.status).toBe(200);
  expect(((await approved.json()) as OrderView).orderId).toBe(orderId);

  const again = await post(`/orders/${orderId}/approve`, { approvedBy: 'grace@shop.example' });
  expect(again.status).toBe(409);
  expect(await again.json()).toEqual({
    statusCode: 409,
    error: 'Conflict',
    message: expect.stringMatching(/^the order is not waiting for approval/),
  });

  await statusOf(orderId, 'shipping');
  expect((await deliver(orderId)).status).toBe(202);
  await statusOf(orderId, 'completed');
  expect(stores.ledger(orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
});

test('an order awaiting approval reports when its wait times out, APPROVAL_TIMEOUT after it began, in GET /orders/:id and in GET /orders; once answered, neither does', async () => {
  const orderId = await placeOrder(bigOrder());
  const waiting = await statusOf(orderId, 'awaiting_approval');
  const waitStarted = Date.parse(waiting.timeline.find((entry) => entry.step === 'awaitApproval')!.startedAt);
  expect(Math.abs(Date.parse(waiting.approvalDeadline!) - (waitStarted + APPROVAL_TIMEOUT_MS))).toBeLessThanOrEqual(1000);

  // Visibility shows the search attribute within about a second.
  const listed = await eventually(async () => {
    const page = (await getJson('/orders?status=awaiting_approval&pageSize=100')) as OrderPage;
    const row = page.orders.find((order) => order.orderId === orderId);
    expect(row?.approvalDeadline).toBeDefined();
    return row!;
  });
  expect(listed.approvalDeadline).toBe(waiting.approvalDeadline);

  expect((await post(`/orders/${orderId}/reject`, { rejectedBy: 'grace@shop.example', reason: 'too large' })).status).toBe(200);
  expect((await statusOf(orderId, 'rejected')).approvalDeadline).toBeUndefined();
  await eventually(async () => {
    const page = (await getJson('/orders?status=rejected&pageSize=100')) as OrderPage;
    const row = page.orders.find((order) => order.orderId === orderId);
    expect(row).toBeDefined();
    expect(row).not.toHaveProperty('approvalDeadline');
  });
});

test('rejecting an order through the API ends it as rejected, without charging', async () => {
  const orderId = await placeOrder(bigOrder());
  await statusOf(orderId, 'awaiting_approval');
  const rejected = await post(`/orders/${orderId}/reject`, { rejectedBy: 'grace@shop.example', reason: 'suspected fraud' });
  expect(rejected.status).toBe(200);
  const view = await statusOf(orderId, 'rejected');
  expect(view.failure).toContain('suspected fraud');
  expect(stores.ledger(orderId)).toEqual([]);
});

test('cancelling through the API answers once the order is cancelled and compensated; cancelling again is a 409', async () => {
  const orderId = await placeOrder(bigOrder());
  await statusOf(orderId, 'awaiting_approval');

  const cancelled = await post(`/orders/${orderId}/cancel`, { reason: 'ordered by mistake' });
  expect(cancelled.status).toBe(200);
  const view = (await cancelled.json()) as OrderView;
  expect(view.status).toBe('cancelled');
  expect(view.failure).toBe('ordered by mistake');
  expect(stores.emails(orderId)).toEqual([{ template: 'order-cancelled' }]);

  const again = await post(`/orders/${orderId}/cancel`);
  expect(await again.json()).toEqual({ statusCode: 409, error: 'Conflict', message: 'cannot cancel: the order is already cancelled' });
});

test('a cancel the workflow accepted but cannot finish within the deadline is a 202; it completes once the email worker is back', async () => {
  const orderId = await placeOrder(bigOrder());
  await statusOf(orderId, 'awaiting_approval');
  // Without the email worker the customer cannot be told, so the cancellation cannot finish.
  await stack.stopWorker('email');
  const impatient = await listeningTestApp(stack.client, { temporalTimeoutMs: 1500 });
  try {
    const res = await fetch(`${impatient.url}/orders/${orderId}/cancel`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/orders/${orderId}`);
    expect(await res.json()).toMatchObject({ orderId, message: expect.stringContaining('cancel accepted') });
  } finally {
    await impatient.app.close();
    await stack.startWorker('email');
  }
  await statusOf(orderId, 'cancelled');
});

test('cancelling an order that has shipped is a 409 with the workflow’s reason, and the order goes on', async () => {
  const orderId = await placeOrder(orderRequest());
  await statusOf(orderId, 'shipping');
  const refused = await post(`/orders/${orderId}/cancel`, { reason: 'too late' });
  expect(await refused.json()).toEqual({
    statusCode: 409,
    error: 'Conflict',
    message: 'the order has shipped and can no longer be cancelled',
  });
  await deliver(orderId);
  await statusOf(orderId, 'completed');
});

test('the carrier route moves a shipment along; once the shipment has ended it is a 409', async () => {
  const orderId = await placeOrder(orderRequest());
  await statusOf(orderId, 'shipping');
  const dispatched = await post(`/shipments/${orderId}/events`, { event: 'dispatched', at: '2026-01-02T03:04:05.000Z' });
  expect(dispatched.status).toBe(202);
  expect(await dispatched.json()).toEqual({
    orderId,
    shipmentWorkflowId: `shipment-${orderId}`,
    event: 'dispatched',
    at: '2026-01-02T03:04:05.000Z',
  });
  await deliver(orderId);
  const view = await statusOf(orderId, 'completed');
  expect(view.shipment?.deliveredAt).toEqual(expect.any(String));
  expect(stores.shipments(orderId)).toEqual([{ status: 'delivered' }]);
  expect((await deliver(orderId)).status).toBe(409);
});

test('the SSE stream delivers each step of a real order as it happens, then ends', async () => {
  const orderId = await placeOrder(bigOrder());
  const response = await fetch(`${api.url}/orders/${orderId}/events`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');

  const events: ServerSentEvent[] = [];
  await readEvents(response, async (event) => {
    events.push(event);
    // A person and the carrier act when the stream shows it is their turn.
    if (event.event === 'status' && event.data.status === 'awaiting_approval')
      await post(`/orders/${orderId}/approve`, { approvedBy: 'grace' });
    if (event.event === 'step' && event.data.step === 'shipOrder' && event.data.state === 'running') await deliver(orderId);
  });

  const steps = events.filter((event) => event.event === 'step').map(({ data }) => `${data.step}:${data.state}`);
  // Every step is reported completed, in order, even one that started and ended between two polls.
  expect(steps.filter((step) => step.endsWith(':completed'))).toEqual([
    'validateOrder:completed',
    'screenOrder:completed',
    'awaitApproval:completed',
    'reserveStock:completed',
    'chargePayment:completed',
    'shipOrder:completed',
    'commitStock:completed',
    'sendConfirmation:completed',
  ]);
  // Steps that wait (for a person, for the carrier) are seen running first.
  expect(steps.indexOf('awaitApproval:running')).toBeLessThan(steps.indexOf('awaitApproval:completed'));
  expect(steps.indexOf('shipOrder:running')).toBeLessThan(steps.indexOf('shipOrder:completed'));
  const statuses = events.filter((event) => event.event === 'status').map(({ data }) => data.status as string);
  expect([...new Set(statuses)]).toEqual(expect.arrayContaining(['awaiting_approval', 'shipping', 'completed']));
  expect(statuses.indexOf('awaiting_approval')).toBeLessThan(statuses.indexOf('shipping'));
  expect(statuses.at(-1)).toBe('completed');
  expect(events.at(-1)).toEqual({ event: 'end', data: { orderId, status: 'completed' } });
});

test('the server stops polling an order once its SSE client goes away', async () => {
  const orderId = await placeOrder(bigOrder());
  const client = new AbortController();
  const response = await fetch(`${api.url}/orders/${orderId}/events`, { signal: client.signal });
  const first = await response.body!.getReader().read();
  expect(new TextDecoder().decode(first.value)).toContain('event: status');
  client.abort();
  await eventually(async () =>
    expect(logLines).toContainEqual(
      expect.objectContaining({ orderId, msg: 'order events stream closed', reason: 'client gone or server closing' }),
    ),
  );
  await post(`/orders/${orderId}/cancel`);
});

test('the same Idempotency-Key on a finished order returns it again: one workflow, one charge', async () => {
  const key = `stack-${Date.now()}`;
  const orderId = await placeOrder(orderRequest(), { 'idempotency-key': key });
  await statusOf(orderId, 'shipping');
  await deliver(orderId);
  await statusOf(orderId, 'completed');

  const retry = await post('/orders', orderRequest(), { 'idempotency-key': key });
  expect(retry.status).toBe(201);
  expect(((await retry.json()) as { orderId: string }).orderId).toBe(orderId);
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
  expect(stores.ledger(orderId).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
  expect((await stack.client.workflow.count(`WorkflowId = '${orderWorkflowId(orderId)}'`)).count).toBe(1);
});

test('the history route summarises the workflow for people: activities, their task queues, attempts and failures', async () => {
  const orderId = await placeOrder(orderRequest({ paymentToken: 'tok_declined' }));
  await statusOf(orderId, 'failed');
  const { events } = (await getJson(`/orders/${orderId}/history`)) as {
    events: { type: string; name?: string; taskQueue?: string; attempt?: number; failure?: string }[];
  };

  expect(events[0]).toMatchObject({ type: 'WorkflowExecutionStarted', name: 'OrderWorkflow', taskQueue: 'orders' });
  expect(events).toContainEqual(expect.objectContaining({ type: 'ActivityTaskScheduled', name: 'reserveStock', taskQueue: 'inventory' }));
  expect(events).toContainEqual(
    expect.objectContaining({ type: 'ActivityTaskStarted', name: 'authorizePayment', taskQueue: 'payment', attempt: 1 }),
  );
  expect(events).toContainEqual(
    expect.objectContaining({
      type: 'ActivityTaskFailed',
      name: 'authorizePayment',
      taskQueue: 'payment',
      failure: expect.stringMatching(/declined/),
    }),
  );
  expect(events).toContainEqual(expect.objectContaining({ type: 'ActivityTaskCompleted', name: 'releaseStock', taskQueue: 'inventory' }));
  expect(events.at(-1)).toMatchObject({ type: 'WorkflowExecutionCompleted' });
  expect(events.map((event) => event.type)).not.toContain('WorkflowTaskCompleted');
});

test('the catalog shows the stock the inventory service holds, after an order takes some', async () => {
  const before = ((await getJson('/catalog')) as { products: { sku: string; stock: number }[] }).products.find(
    (p) => p.sku === 'MUG-DURABLE',
  )!.stock;
  expect(before).toBe(stores.stock('MUG-DURABLE'));
  const orderId = await placeOrder(orderRequest({ items: [{ sku: 'MUG-DURABLE', quantity: 3 }] }));
  await statusOf(orderId, 'shipping');
  const catalog = (await getJson('/catalog')) as { stockKnown: boolean; products: { sku: string; stock: number; priceCents: number }[] };
  expect(catalog.stockKnown).toBe(true);
  expect(catalog.products.find((p) => p.sku === 'MUG-DURABLE')).toEqual({
    sku: 'MUG-DURABLE',
    name: 'Durable execution mug',
    priceCents: 1400,
    stock: before - 3,
  });
  await deliver(orderId);
});

test('with the orders worker down, a finished order is still read from its history, and a running one from its description, not a 503', async () => {
  const finished = await placeOrder(orderRequest());
  await statusOf(finished, 'shipping');
  await deliver(finished);
  await statusOf(finished, 'completed');
  const running = await placeOrder(bigOrder());
  await statusOf(running, 'awaiting_approval');

  await stack.stopWorker('orders');
  try {
    expect(await getJson(`/orders/${finished}`)).toMatchObject({ status: 'completed', source: 'result' });
    const started = Date.now();
    const res = await fetch(`${api.url}/orders/${running}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'awaiting_approval', source: 'description', fallback: { workflowStatus: 'RUNNING' } });
    expect(Date.now() - started).toBeLessThan(8000);
  } finally {
    await stack.startWorker('orders');
  }
  expect((await post(`/orders/${running}/cancel`)).status).toBe(200);
});
