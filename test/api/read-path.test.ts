import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { FINAL_STATUSES, type OrderStatus } from '../../workflows/types';
import { orderRequest } from '../support/orders';
import { TestStack } from '../support/stack';
import { eventually, listeningTestApp, readEvents, type ServerSentEvent } from './support';

// GET /orders/:id and its event stream against the real system, read the way a shop front end
// reads them: often, from placement to the end, while the orders worker crashes and comes back.

let stack: TestStack;
let api: { app: FastifyInstance; url: string };

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'read-path' });
  api = await listeningTestApp(stack.client, { temporalTimeoutMs: 5000, eventsPollMs: 150 });
}, 120_000);

afterAll(async () => {
  await api?.app.close();
  await stack?.stop();
});

/** One answer of GET /orders/:id, tagged with what the test was doing when it asked. */
interface Reading {
  orderId: string;
  phase: string;
  code: number;
  status?: OrderStatus;
  source?: string;
  fallback?: { reason: string; workflowStatus: string };
}

async function placeOrder(): Promise<string> {
  const res = await fetch(`${api.url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(orderRequest()),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { orderId: string }).orderId;
}

/** Reads the order every ~100 ms until it is final (or the generous deadline passes), recording every answer. */
async function pollUntilFinal(orderId: string, phase: () => string, readings: Reading[], deadlineMs = 120_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const asked = phase();
    const res = await fetch(`${api.url}/orders/${orderId}`);
    const body = (await res.json()) as Omit<Reading, 'orderId' | 'phase' | 'code'>;
    readings.push({ orderId, phase: asked, code: res.status, status: body.status, source: body.source, fallback: body.fallback });
    if (res.status === 200 && body.status && FINAL_STATUSES.includes(body.status)) return;
    await sleep(100);
  }
}

const finalStatuses = (readings: Reading[]) => new Map(readings.map((reading) => [reading.orderId, reading.status]));

/** Puts a replacement orders worker up if a test ended without one, so the next test has the whole stack. */
async function ensureOrdersWorker(): Promise<void> {
  if (!stack.workers.has('orders')) await stack.startWorker('orders');
}

test('30 orders read every 100 ms from placement to completion never get a 404 or a 5xx, the shipment step included', async () => {
  const readings: Reading[] = [];
  const pollers: Promise<void>[] = [];
  for (let i = 0; i < 30; i++) {
    const orderId = await placeOrder();
    pollers.push(pollUntilFinal(orderId, () => 'running', readings));
    await sleep(100);
  }
  await Promise.all(pollers);

  expect(readings.filter((reading) => reading.code !== 200)).toEqual([]);
  expect([...finalStatuses(readings).values()]).toEqual(Array(30).fill('completed'));
  // The window that used to be a 404 (the parent has started the shipment step, the child may not exist yet) was read.
  expect(readings.some((reading) => reading.status === 'shipping')).toBe(true);
}, 180_000);

test('with the orders worker killed, in-flight orders read as 200 fallbacks from the workflow description; once its replacement is up, never a 503', async () => {
  const readings: Reading[] = [];
  let phase = 'before';
  const orderIds = await Promise.all(Array.from({ length: 6 }, () => placeOrder()));
  const pollers = orderIds.map((orderId) => pollUntilFinal(orderId, () => phase, readings));
  try {
    await stack.stopWorker('orders', 'SIGKILL');
    phase = 'down';
    await sleep(4000);
    phase = 'starting';
    await stack.startWorker('orders');
    phase = 'replacement';
    await Promise.all(pollers);
  } finally {
    await ensureOrdersWorker();
  }

  expect(readings.filter((reading) => reading.code !== 200)).toEqual([]);
  const down = readings.filter((reading) => reading.phase === 'down');
  expect(down.length).toBeGreaterThan(10);
  // No worker can answer the status query: a running order is described by Temporal, a finished one read from its result.
  expect(down.filter((reading) => reading.source === 'query')).toEqual([]);
  const fallbacks = down.filter((reading) => reading.source === 'description');
  expect(fallbacks.length).toBeGreaterThan(0);
  for (const reading of fallbacks) {
    expect(reading.fallback).toEqual(expect.objectContaining({ reason: expect.any(String), workflowStatus: 'RUNNING' }));
    expect(FINAL_STATUSES).not.toContain(reading.status);
  }
  expect(readings.filter((reading) => reading.phase === 'replacement').length).toBeGreaterThan(0);
  expect([...finalStatuses(readings).values()]).toEqual(Array(6).fill('completed'));
}, 180_000);

test('the SSE stream of an order whose orders worker is killed goes on with fallback events, then ends at the final status', async () => {
  const orderId = await placeOrder();
  const response = await fetch(`${api.url}/orders/${orderId}/events`);
  expect(response.status).toBe(200);

  const events: ServerSentEvent[] = [];
  let outage: Promise<void> | undefined;
  try {
    await readEvents(response, (event) => {
      events.push(event);
      // The orders worker crashes once the stream is under way, and its replacement comes up 4s later.
      outage ??= stack
        .stopWorker('orders', 'SIGKILL')
        .then(() => sleep(4000))
        .then(async () => void (await stack.startWorker('orders')));
    });
    await outage;
  } finally {
    await outage?.catch(() => undefined);
    await ensureOrdersWorker();
  }

  const names = events.map(({ event }) => event);
  expect(names).not.toContain('error');
  const fallbacks = events.filter(({ event }) => event === 'fallback');
  expect(fallbacks.length).toBeGreaterThan(0);
  for (const { data } of fallbacks) {
    expect(data).toMatchObject({ orderId, source: 'description', fallback: { reason: expect.any(String), workflowStatus: 'RUNNING' } });
  }
  // After the fallbacks, the stream reports the order's real progress again and ends with it.
  expect(names.lastIndexOf('status')).toBeGreaterThan(names.lastIndexOf('fallback'));
  expect(events.at(-2)).toMatchObject({ event: 'status', data: { orderId, status: 'completed' } });
  expect(events.at(-1)).toEqual({ event: 'end', data: { orderId, status: 'completed' } });
}, 120_000);

test('a fallback names the activity the order is waiting on, with its state and attempt', async () => {
  await stack.stopWorker('payment');
  const orderId = await placeOrder();
  const readOrder = async (): Promise<unknown> => (await fetch(`${api.url}/orders/${orderId}`)).json();
  try {
    await eventually(async () => expect(await readOrder()).toMatchObject({ status: 'charging_payment', source: 'query' }), 30_000);
    await stack.stopWorker('orders', 'SIGKILL');
    expect(await readOrder()).toMatchObject({
      orderId,
      status: 'charging_payment',
      currentStep: null,
      timeline: [],
      source: 'description',
      fallback: {
        workflowStatus: 'RUNNING',
        pendingActivities: [{ activity: 'authorizePayment', workflowId: `order-${orderId}`, state: 'scheduled', attempts: 1 }],
      },
    });
  } finally {
    await ensureOrdersWorker();
    await stack.startWorker('payment');
  }
  await eventually(async () => expect(await readOrder()).toMatchObject({ status: 'completed', source: 'result' }), 60_000);
}, 120_000);
