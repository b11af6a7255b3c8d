import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { freePort } from '../../scripts/lib/dev-server';
import { ServiceProcess } from '../../scripts/lib/launcher';
import { OtlpReceiver, type ReceivedSpan } from '../../scripts/lib/otlp-receiver';
import { shipmentWorkflowId } from '../../workflows/ids';
import { SERVICES, TaskQueues, type ServiceName } from '../../workflows/task-queues';
import type { OrderView } from '../../workflows/types';
import { orderRequest } from '../support/orders';
import { TEST_ENCRYPTION_KEYS, TestStack, temporalAddress } from '../support/stack';

// The whole system traced, as deployed: the API and every worker are processes of their own,
// exporting over OTLP/HTTP to a receiver this test runs. Payloads are encrypted, so the trace
// context can only travel in Temporal's headers. The batch exporter's delay is left at its 5s
// default, so the spans of the order's last steps arrive only if each process flushes as it stops.

const NAMESPACE = 'tracing';
const SERVER_SPAN = 2;

let receiver: OtlpReceiver;
let stack: TestStack | undefined;
let api: ServiceProcess | undefined;
let apiUrl: string;

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  const tracingEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint };
  stack = await TestStack.start({ namespace: NAMESPACE, env: tracingEnv });
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  api = new ServiceProcess({
    service: 'api',
    port,
    env: {
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: NAMESPACE,
      ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...tracingEnv,
    },
    output: { logFile: path.join(stack.dataDir, 'api.log') },
    restart: 'never',
  });
  await api.start();
});

afterAll(async () => {
  await api?.stop();
  await stack?.stop();
  await receiver?.stop();
});

// The Python fraud worker does not trace yet: it passes the trace context on untouched, and no span of its own joins the trace.
const TRACED: ServiceName[] = SERVICES.filter((service) => service !== 'fraud');

/** The activities a workflow's history scheduled: each one's type and the worker whose queue it was put on. */
async function scheduledActivities(workflowId: string): Promise<{ type: string; worker: string }[]> {
  const history = await stack!.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const scheduled: temporal.api.history.v1.IActivityTaskScheduledEventAttributes | null | undefined =
      event.activityTaskScheduledEventAttributes;
    if (!scheduled) return [];
    const service = SERVICES.find((name) => TaskQueues[name] === scheduled.taskQueue!.name)!;
    return TRACED.includes(service) ? [{ type: scheduled.activityType!.name!, worker: `${service}-worker` }] : [];
  });
}

/** The span's ancestors, nearest first, as far as the trace holds them. */
function ancestors(span: ReceivedSpan, byId: Map<string, ReceivedSpan>): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  for (let parent = span.parentSpanId && byId.get(span.parentSpanId); parent; parent = parent.parentSpanId && byId.get(parent.parentSpanId))
    chain.push(parent);
  return chain;
}

const label = (span: ReceivedSpan) => `${span.service} ${span.name}`;

test('an order placed through the API is one trace, rooted at its POST /orders request, through the workflows to the activity of every service worker', async () => {
  const placed = await fetch(`${apiUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(orderRequest()),
  });
  expect(placed.status).toBe(201);
  const { orderId, workflowId } = (await placed.json()) as { orderId: string; workflowId: string };
  const result: OrderView = await stack!.client.workflow.getHandle(workflowId).result();
  expect(result.status).toBe('completed');
  const orderActivities = await scheduledActivities(workflowId);
  const shipmentActivities = await scheduledActivities(shipmentWorkflowId(orderId));

  // Stopping drains each process and flushes its spans: nothing is awaited on a timer.
  await api!.stop();
  await stack!.stop();
  stack = undefined;

  const start = receiver.spans.find(
    (span) => span.name === 'StartWorkflow:OrderWorkflow' && span.attributes.temporalWorkflowId === workflowId,
  );
  expect(start?.service).toBe('api');
  const trace = receiver.spans.filter((span) => span.traceId === start!.traceId);
  const byId = new Map(trace.map((span) => [span.spanId, span]));

  // Every process that traces took part: the API, the orders worker and the four service workers.
  expect(new Set(trace.map((span) => span.service))).toEqual(new Set(['api', ...TRACED.map((service) => `${service}-worker`)]));

  // One root, the HTTP request; every other span's parent is in the trace.
  const roots = trace.filter((span) => !span.parentSpanId);
  expect(roots.map(label)).toEqual(['api request']);
  expect(roots[0]).toMatchObject({ kind: SERVER_SPAN, attributes: { 'http.route': '/orders', 'http.request.method': 'POST' } });
  expect(trace.filter((span) => span.parentSpanId && !byId.has(span.parentSpanId)).map(label)).toEqual([]);

  // Nothing of the order's workflows was left in a trace of its own.
  const workflowSpans = receiver.spans.filter((span) => /^(Run|Start)\w*:(OrderWorkflow|ShipmentWorkflow)$/.test(span.name));
  expect(workflowSpans.filter((span) => span.traceId !== start!.traceId).map(label)).toEqual([]);

  // The order's workflow continues the API's start; the shipment child continues the order's start of it.
  const orderRun = trace.filter((span) => span.name === 'RunWorkflow:OrderWorkflow');
  expect(orderRun.length).toBeGreaterThan(0);
  for (const run of orderRun) expect(run).toMatchObject({ service: 'orders-worker', parentSpanId: start!.spanId });
  const shipmentRun = trace.filter((span) => span.name === 'RunWorkflow:ShipmentWorkflow');
  expect(shipmentRun.length).toBeGreaterThan(0);
  for (const run of shipmentRun) {
    expect(run.service).toBe('shipping-worker');
    expect(byId.get(run.parentSpanId!)).toMatchObject({ service: 'orders-worker', name: 'StartChildWorkflow:ShipmentWorkflow' });
    expect(ancestors(run, byId).map(label)).toContain('orders-worker RunWorkflow:OrderWorkflow');
  }

  // Each activity the histories scheduled ran on its service's worker, in a span under its workflow's start of it.
  const ranActivities = trace.filter((span) => span.name.startsWith('RunActivity:'));
  for (const { type, worker } of [...orderActivities, ...shipmentActivities])
    expect(ranActivities.map(label)).toContain(`${worker} RunActivity:${type}`);
  for (const activity of ranActivities) {
    expect(byId.get(activity.parentSpanId!)?.name).toBe(activity.name.replace('RunActivity:', 'StartActivity:'));
    expect(ancestors(activity, byId).map((span) => span.name)).toContainEqual(expect.stringMatching(/^RunWorkflow:/));
  }
});
