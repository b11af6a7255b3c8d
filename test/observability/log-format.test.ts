import { formatLogLine } from '../../scripts/lib/log-format';

// The launcher's formatter: how npm start shows the processes' JSON log lines to a person.

const json = (line: Record<string, unknown>) => JSON.stringify(line);

test("an activity's line shows the time, the level, the message, the order and the activity", () => {
  const line = json({
    level: 'info',
    time: '2026-03-04T12:04:05.120Z',
    service: 'payment',
    pid: 7,
    msg: 'payment captured',
    orderId: 'ord_1',
    workflowId: 'order-ord_1',
    runId: '0190-run',
    activityType: 'capturePayment',
    attempt: 1,
    taskQueue: 'payment',
    amountCents: 3300,
  });
  expect(formatLogLine(line)).toBe('12:04:05.120 INFO  payment captured  order=ord_1 activity=capturePayment');
});

test('a retried attempt shows its number, and an error its message', () => {
  const line = json({
    level: 'warn',
    time: '2026-03-04T12:04:05.120Z',
    msg: 'Activity failed',
    orderId: 'ord_1',
    activityType: 'authorizePayment',
    attempt: 3,
    error: { type: 'ApplicationFailure', message: 'gateway timed out', stack: 'at ...' },
  });
  expect(formatLogLine(line)).toBe(
    '12:04:05.120 WARN  Activity failed  order=ord_1 activity=authorizePayment attempt=3 error=gateway timed out',
  );
});

test("the API's request line shows the method, the URL, the status and the time taken, from pino's numeric level and epoch time", () => {
  const line = json({
    level: 20,
    time: Date.parse('2026-03-04T08:00:00.005Z'),
    msg: 'request completed',
    req: { method: 'POST', url: '/orders' },
    res: { statusCode: 201 },
    responseTime: 12.6,
    orderId: 'ord_2',
  });
  expect(formatLogLine(line)).toBe('08:00:00.005 DEBUG request completed POST /orders  order=ord_2 status=201 ms=13');
});

test("a workflow id that is not an order's is shown as the workflow", () => {
  const line = json({ level: 'info', time: '2026-03-04T08:00:00.000Z', msg: 'restocked', workflowId: 'restock-daily' });
  expect(formatLogLine(line)).toBe('08:00:00.000 INFO  restocked  workflow=restock-daily');
});

test.each([
  ['a plain line', 'orders worker: TEMPORAL_ADDRESS: invalid URL'],
  ['a stack trace line', '    at Object.<anonymous> (/app/dist/services/api/server.js:12:3)'],
  ['JSON that is not a log line', '{"hello":"world"}'],
  ['a line cut short', '{"level":"info","msg":"cut'],
])('%s is shown as it is', (_, line) => {
  expect(formatLogLine(line)).toBe(line);
});

test("a line of the SDK's Core, in its own JSON shape, shows its time, level and message", () => {
  const line = json({
    timestamp: '2026-03-04T08:00:01.250Z',
    level: 'WARN',
    fields: { message: 'Network error while polling' },
    target: 'temporal_sdk_core',
  });
  expect(formatLogLine(line)).toBe('08:00:01.250 WARN  Network error while polling');
});
