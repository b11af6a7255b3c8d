import type { FastifyInstance } from 'fastify';
import { freePort } from '../../scripts/lib/dev-server';
import { OrderMetricNames } from '../../workflows/order-metric-names';
import { PaymentMetricNames } from '../../services/payment/metrics';
import { SERVICES, type ServiceName } from '../../workflows/task-queues';
import type { OrderView } from '../../workflows/types';
import { eventually, testApp } from '../api/support';
import { orderRequest } from '../support/orders';
import { TestStack } from '../support/stack';
import { fetchText, Scrape } from './prometheus';

// The metrics, for real: compiled workers, each serving Prometheus on a port of its own, on the
// test run's Temporal server (namespace "observability-metrics"), and the API's /metrics. Each
// test scrapes before and after, and checks what moved.

const APPROVAL_THRESHOLD_CENTS = 10_000;

let stack: TestStack;
let api: FastifyInstance;
const metricsUrls = new Map<ServiceName, string>();

beforeAll(async () => {
  stack = await TestStack.start({
    namespace: 'observability-metrics',
    services: [],
    env: { APPROVAL_THRESHOLD_CENTS: String(APPROVAL_THRESHOLD_CENTS) },
  });
  await Promise.all(
    SERVICES.map(async (service) => {
      const address = `127.0.0.1:${await freePort()}`;
      metricsUrls.set(service, `http://${address}/metrics`);
      await stack.startWorker(service, { METRICS_BIND_ADDRESS: address });
    }),
  );
  api = await testApp(stack.client);
}, 120_000);

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

const scrapeWorker = (service: ServiceName) => Scrape.of(fetchText(metricsUrls.get(service)!));

async function scrapeApi(): Promise<Scrape> {
  return Scrape.of(async () => {
    const response = await api.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    return response.body;
  });
}

/** Places an order through the API; returns its ids and total. */
async function placeOrder(request = orderRequest()): Promise<{ orderId: string; workflowId: string; totalCents: number }> {
  const placed = await api.inject({ method: 'POST', url: '/orders', payload: request });
  expect(placed.statusCode).toBe(201);
  return placed.json() as { orderId: string; workflowId: string; totalCents: number };
}

const outcome = async (workflowId: string): Promise<OrderView> => (await stack.client.workflow.getHandle(workflowId).result()) as OrderView;

test('a completed order moves the orders counters, the revenue by its total, the order duration, and the API request counter of POST /orders', async () => {
  const [ordersBefore, paymentBefore, apiBefore] = await Promise.all([scrapeWorker('orders'), scrapeWorker('payment'), scrapeApi()]);

  const { workflowId, totalCents } = await placeOrder();
  expect((await outcome(workflowId)).status).toBe('completed');

  await eventually(async () => {
    const [orders, payment, apiAfter] = await Promise.all([scrapeWorker('orders'), scrapeWorker('payment'), scrapeApi()]);
    const moved = (after: Scrape, before: Scrape, name: string, labels?: Record<string, string>) =>
      after.value(name, labels) - before.value(name, labels);
    expect({
      placed: moved(orders, ordersBefore, OrderMetricNames.placed),
      completed: moved(orders, ordersBefore, OrderMetricNames.completed),
      compensated: moved(orders, ordersBefore, OrderMetricNames.compensated),
      durations: moved(orders, ordersBefore, `${OrderMetricNames.duration}_count`, { outcome: 'completed' }),
      capturedCents: moved(payment, paymentBefore, PaymentMetricNames.captured),
      refundedCents: moved(payment, paymentBefore, PaymentMetricNames.refunded),
      postOrders: moved(apiAfter, apiBefore, 'http_requests_total', { method: 'POST', route: '/orders', status_code: '201' }),
      postOrdersTimed: moved(apiAfter, apiBefore, 'http_request_duration_seconds_count', { method: 'POST', route: '/orders' }),
    }).toEqual({
      placed: 1,
      completed: 1,
      compensated: 0,
      durations: 1,
      capturedCents: totalCents,
      refundedCents: 0,
      postOrders: 1,
      postOrdersTimed: 1,
    });
  });
});

test('an order the carrier cannot ship is counted compensated with the failure type as its reason, and its refund is counted', async () => {
  const [ordersBefore, paymentBefore] = await Promise.all([scrapeWorker('orders'), scrapeWorker('payment')]);
  const unserved = orderRequest({
    shippingAddress: { name: 'Penguin', line1: '1 Ice Shelf', city: 'McMurdo', postalCode: '9999', country: 'AQ' },
  });

  const { workflowId, totalCents } = await placeOrder(unserved);
  expect((await outcome(workflowId)).status).toBe('failed');

  await eventually(async () => {
    const [orders, payment] = await Promise.all([scrapeWorker('orders'), scrapeWorker('payment')]);
    expect({
      compensated:
        orders.value(OrderMetricNames.compensated, { reason: 'AddressNotServed' }) -
        ordersBefore.value(OrderMetricNames.compensated, { reason: 'AddressNotServed' }),
      completed: orders.value(OrderMetricNames.completed) - ordersBefore.value(OrderMetricNames.completed),
      refundedCents: payment.value(PaymentMetricNames.refunded) - paymentBefore.value(PaymentMetricNames.refunded),
    }).toEqual({ compensated: 1, completed: 0, refundedCents: totalCents });
  });
});

test('an order that waits for approval records its wait, by the decision', async () => {
  const before = await scrapeWorker('orders');
  const { orderId, workflowId, totalCents } = await placeOrder(orderRequest({ items: [{ sku: 'HOODIE-REPLAY', quantity: 2 }] }));
  expect(totalCents).toBeGreaterThan(APPROVAL_THRESHOLD_CENTS);

  await eventually(async () => {
    const approved = await api.inject({ method: 'POST', url: `/orders/${orderId}/approve`, payload: { approvedBy: 'grace@shop.example' } });
    expect(approved.statusCode).toBe(200);
  });
  expect((await outcome(workflowId)).status).toBe('completed');

  await eventually(async () => {
    const after = await scrapeWorker('orders');
    const waits = `${OrderMetricNames.approvalWait}_count`;
    expect(after.value(waits, { outcome: 'approved' }) - before.value(waits, { outcome: 'approved' })).toBe(1);
    expect(after.value(`${OrderMetricNames.approvalWait}_sum`)).toBeGreaterThan(before.value(`${OrderMetricNames.approvalWait}_sum`));
  });
});

test('the API counts a 404 under the route "unmatched" and a 400 under its route pattern, never the raw URL', async () => {
  const before = await scrapeApi();
  expect((await api.inject({ method: 'GET', url: '/no-such-page/42' })).statusCode).toBe(404);
  expect((await api.inject({ method: 'GET', url: '/orders/not%20an%20id' })).statusCode).toBe(400);

  const after = await scrapeApi();
  const moved = (labels: Record<string, string>) =>
    after.value('http_requests_total', labels) - before.value('http_requests_total', labels);
  expect(moved({ route: 'unmatched', status_code: '404' })).toBe(1);
  expect(moved({ route: '/orders/:id', status_code: '400' })).toBe(1);
  const metricsText = (await api.inject({ method: 'GET', url: '/metrics' })).body;
  expect(metricsText).not.toContain('/no-such-page');
  expect(metricsText).not.toContain('not an id');
});

test('/metrics answers without the API key, is not rate limited, and is not in the OpenAPI document', async () => {
  const keyed = await testApp(stack.client, { apiKey: 'the-key', rateLimit: { max: 2, windowMs: 60_000 } });
  try {
    const answers = [];
    for (let scrape = 0; scrape < 4; scrape += 1) answers.push((await keyed.inject({ method: 'GET', url: '/metrics' })).statusCode);
    expect(answers).toEqual([200, 200, 200, 200]);
    const document = (await keyed.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toContain('/orders');
    expect(Object.keys(document.paths)).not.toContain('/metrics');
  } finally {
    await keyed.close();
  }
});

test("the workers' endpoints still serve the SDK's own metrics beside the business ones", async () => {
  const activities = await scrapeWorker('payment');
  expect([...activities.names()]).toEqual(
    expect.arrayContaining(['temporal_activity_schedule_to_start_latency_bucket', 'temporal_activity_execution_latency_count']),
  );
  const workflows = await scrapeWorker('orders');
  expect([...workflows.names()]).toEqual(
    expect.arrayContaining(['temporal_workflow_task_schedule_to_start_latency_bucket', 'temporal_workflow_completed']),
  );
});
