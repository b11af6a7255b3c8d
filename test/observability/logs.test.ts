import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WorkerLogger } from '../../services/common/logging';
import type { ServiceName } from '../../workflows/task-queues';
import type { OrderView } from '../../workflows/types';
import { eventually, testApp } from '../api/support';
import { orderRequest } from '../support/orders';
import { TestStack } from '../support/stack';

// The logs, for real: compiled workers (the orders worker at debug, so the SDK's workflow lines
// show) on the test run's Temporal server, namespace "observability-logs", and the API in-process.

type LogLine = Record<string, unknown>;

let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'observability-logs', services: ['payment', 'inventory', 'shipping', 'email', 'fraud'] });
  await stack.startWorker('orders', { LOG_LEVEL: 'debug' });
}, 120_000);

afterAll(() => stack?.stop());

/** A stream that collects the JSON lines written to it. */
function lineCollector(): { stream: PassThrough; lines: LogLine[] } {
  const stream = new PassThrough();
  const lines: LogLine[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  return { stream, lines };
}

/** Every line a worker process wrote so far, as text. */
const workerOutput = (service: ServiceName): string[] =>
  fs
    .readFileSync(path.join(stack.dataDir, `${service}.log`), 'utf8')
    .split('\n')
    .filter(Boolean);

/** The first line of a worker's output that `matches`, once it is written: the SDK hands lines to the logger in batches. */
const lineOf = (service: ServiceName, matches: (line: LogLine) => boolean): Promise<LogLine> =>
  eventually(async () => {
    const line = workerOutput(service)
      .map((text) => JSON.parse(text) as LogLine)
      .find(matches);
    if (!line) throw new Error(`no such line in the ${service} worker's output yet`);
    return line;
  });

/** Places an order through the API and waits for its workflow to end. */
async function placeOrderAndWait(app: FastifyInstance): Promise<{ orderId: string; workflowId: string; runId: string }> {
  const placed = await app.inject({ method: 'POST', url: '/orders', payload: orderRequest() });
  expect(placed.statusCode).toBe(201);
  const { orderId, workflowId } = placed.json() as { orderId: string; workflowId: string };
  const handle = stack.client.workflow.getHandle(workflowId);
  expect(((await handle.result()) as OrderView).status).toBe('completed');
  const { runId } = await handle.describe();
  return { orderId, workflowId, runId };
}

describe('the workers', () => {
  let order: { orderId: string; workflowId: string; runId: string };

  beforeAll(async () => {
    const app = await testApp(stack.client);
    try {
      order = await placeOrderAndWait(app);
    } finally {
      await app.close();
    }
  });

  test.each(['orders', 'payment', 'inventory', 'shipping', 'email'] as const)(
    'the %s worker writes only JSON lines, each with its level, time, service and message',
    (service) => {
      const lines = workerOutput(service);
      expect(lines.length).toBeGreaterThan(0);
      for (const text of lines) {
        expect(() => JSON.parse(text)).not.toThrow();
        expect(JSON.parse(text)).toMatchObject({ level: expect.any(String), time: expect.any(String), service, msg: expect.any(String) });
      }
    },
  );

  test("an activity's line carries the order, its workflow and run, the activity, its attempt and its task queue", async () => {
    const captured = await lineOf('payment', (line) => line.msg === 'payment captured' && line.orderId === order.orderId);
    expect(captured).toMatchObject({
      level: 'info',
      service: 'payment',
      orderId: order.orderId,
      workflowId: order.workflowId,
      runId: order.runId,
      activityType: 'capturePayment',
      attempt: 1,
      taskQueue: 'payment',
    });
    expect(captured).not.toHaveProperty('taskToken');
  });

  test('a line from workflow code carries the order, its workflow and run, and the task queue, and no trace id (workflow code has no OpenTelemetry context)', async () => {
    const completed = await lineOf('orders', (line) => line.msg === 'Workflow completed' && line.workflowId === order.workflowId);
    expect(completed).toMatchObject({
      level: 'debug',
      service: 'orders',
      orderId: order.orderId,
      workflowId: order.workflowId,
      runId: order.runId,
      workflowType: 'OrderWorkflow',
      taskQueue: 'orders',
    });
    expect(completed).not.toHaveProperty('traceId');
    expect(completed).not.toHaveProperty('activityType');
  });
});

describe('the API', () => {
  test('logs no line per request at info, and one "request completed" line per request at debug, with the order on it', async () => {
    const atInfo = lineCollector();
    const quiet = await testApp(stack.client, { logLevel: 'info', logStream: atInfo.stream });
    const atDebug = lineCollector();
    const verbose = await testApp(stack.client, { logLevel: 'debug', logStream: atDebug.stream });
    try {
      for (const app of [quiet, verbose]) {
        expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
        expect((await app.inject({ method: 'GET', url: '/catalog' })).statusCode).toBe(200);
      }
      const { orderId } = await placeOrderAndWait(verbose);

      expect(atInfo.lines.filter((line) => line.req !== undefined || /request/.test(String(line.msg)))).toEqual([]);
      const requests = atDebug.lines.filter((line) => line.msg === 'request completed');
      expect(requests.map((line) => [(line.req as LogLine).url, (line.res as LogLine).statusCode])).toEqual([
        ['/healthz', 200],
        ['/catalog', 200],
        ['/orders', 201],
      ]);
      expect(requests[2]).toMatchObject({ level: 'debug', service: 'api', orderId, responseTime: expect.any(Number) });
    } finally {
      await quiet.close();
      await verbose.close();
    }
  });
});

describe('the worker logger', () => {
  test("takes the time the SDK stamped on a line, names the activity's run runId, derives the order, and leaves out the task token", () => {
    const { stream, lines } = lineCollector();
    const logger = new WorkerLogger('shipping', 'info', stream);
    const stamped = new Date('2026-01-02T03:04:05.678Z');
    logger.info('shipment booked', {
      [Symbol.for('log_timestamp')]: BigInt(stamped.getTime()) * 1_000_000n,
      workflowId: 'shipment-o42',
      workflowRunId: 'run-1',
      activityType: 'bookShipment',
      attempt: 3,
      taskToken: 'c2VjcmV0',
    });
    logger.debug('not shown at info');

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        time: stamped.toISOString(),
        service: 'shipping',
        msg: 'shipment booked',
        orderId: 'o42',
        runId: 'run-1',
        activityType: 'bookShipment',
        attempt: 3,
      }),
    ]);
    expect(lines[0]).not.toHaveProperty('taskToken');
    expect(lines[0]).not.toHaveProperty('workflowRunId');
  });

  test("shows the SDK's lifecycle lines at debug, so a worker at info says only what its own code says", () => {
    const atInfo = lineCollector();
    new WorkerLogger('payment', 'info', atInfo.stream).info('Worker state changed', { sdkComponent: 'worker', state: 'RUNNING' });
    const atDebug = lineCollector();
    new WorkerLogger('payment', 'debug', atDebug.stream).warn('No workflows registered, not polling for workflow tasks', {
      sdkComponent: 'worker',
    });

    expect(atInfo.lines).toEqual([]);
    expect(atDebug.lines).toEqual([
      expect.objectContaining({ level: 'debug', msg: 'No workflows registered, not polling for workflow tasks' }),
    ]);
  });
});
