import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { launchService, ServiceProcess, startAll, type ServiceSpec } from '../scripts/lib/launcher';
import { RESTART_WITH_BACKOFF } from '../scripts/lib/restart-policy';
import { connectTemporal } from '../services/common/temporal-connection';
import { eventually } from './api/support';
import { temporalAddress } from './support/stack';

// The launcher, for real: compiled payment workers on the test run's Temporal server (namespace
// "launcher"), readiness read from their /readyz, and what happens when one is killed.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-test-'));
const launched: ServiceProcess[] = [];
let connection: Connection;

beforeAll(async () => {
  connection = await connectTemporal({ address: temporalAddress() });
});

afterEach(async () => {
  await Promise.all(launched.splice(0).map((worker) => worker.stop()));
});

afterAll(() => connection?.close());

/** A payment worker's spec in the test namespace, with a log file named after it. */
function paymentSpec(name: string, overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    service: 'payment',
    name,
    env: {
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: 'launcher',
      DATA_DIR: dataDir,
      WORKER_SHUTDOWN_GRACE_TIME: '1s',
    },
    output: { logFile: path.join(dataDir, `${name}.log`) },
    restart: 'never',
    ...overrides,
  };
}

function track(worker: ServiceProcess): ServiceProcess {
  launched.push(worker);
  return worker;
}

const readyStatus = async (worker: ServiceProcess): Promise<number | 'no answer'> => {
  try {
    return (await fetch(worker.readyUrl)).status;
  } catch {
    return 'no answer';
  }
};

async function paymentPollerIdentities(): Promise<string[]> {
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace: 'launcher',
    taskQueue: { name: 'payment' },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  });
  return (pollers ?? []).map((poller) => poller.identity ?? '');
}

test('a worker is reported ready once its /readyz answers 200, and Temporal sees it polling its task queue', async () => {
  const worker = track(await launchService(paymentSpec('payment-ready')));

  expect(await readyStatus(worker)).toBe(200);
  await eventually(async () =>
    expect(await paymentPollerIdentities()).toContainEqual(expect.stringMatching(new RegExp(`^${worker.pid}@`))),
  );
});

test('a worker whose /readyz answers 503 is not reported ready, even while it polls: the launch fails at its deadline naming the log file, and the process is stopped', async () => {
  const spec = paymentSpec('payment-held', {
    nodeArgs: ['--require', path.join(__dirname, 'support', 'readiness-held.js')],
    readyTimeoutMs: 4_000,
  });
  const worker = track(new ServiceProcess(spec));

  const failure = await worker.start().catch((err: Error) => err);
  expect(failure).toEqual(
    new Error(
      `payment-held was not ready within 4s (${worker.readyUrl} did not answer 200); see ${path.join(dataDir, 'payment-held.log')}`,
    ),
  );
  expect(fs.readFileSync(path.join(dataDir, 'payment-held.log'), 'utf8')).toContain('polling task queue');
  expect(worker.running).toBe(false);
});

test('a worker that exits before it is ready fails the launch with its exit code and its log file', async () => {
  const spec = paymentSpec('payment-lost', { env: { ...paymentSpec('payment-lost').env, TEMPORAL_NAMESPACE: 'no-such-namespace' } });

  await expect(launchService(spec)).rejects.toThrow(
    `payment-lost exited (code 1) before it was ready; see ${path.join(dataDir, 'payment-lost.log')}`,
  );
});

test('processes started together: when one fails, the launch fails with its error and the others are stopped', async () => {
  const started = track(new ServiceProcess(paymentSpec('payment-beside')));
  const lost = track(
    new ServiceProcess(
      paymentSpec('payment-lost-too', { env: { ...paymentSpec('payment-lost-too').env, TEMPORAL_NAMESPACE: 'no-such-namespace' } }),
    ),
  );

  await expect(startAll([started, lost])).rejects.toThrow('payment-lost-too exited (code 1) before it was ready');
  expect(started.pid).toBeDefined();
  expect(started.running).toBe(false);
});

test('two replicas of one service run side by side, each ready on a health port of its own', async () => {
  const [first, second] = await Promise.all([launchService(paymentSpec('payment-1')), launchService(paymentSpec('payment-2'))]).then(
    (workers) => workers.map(track),
  );

  expect(first.readyUrl).not.toBe(second.readyUrl);
  expect([await readyStatus(first), await readyStatus(second)]).toEqual([200, 200]);
});

test('under the restart policy, a worker killed with SIGKILL is restarted, says so on one line, and is ready again', async () => {
  const notes: string[] = [];
  const worker = track(await launchService(paymentSpec('payment', { restart: RESTART_WITH_BACKOFF, notify: (line) => notes.push(line) })));
  const killed = worker.pid!;

  process.kill(killed, 'SIGKILL');

  await eventually(async () => {
    expect(notes).toContain('payment exited unexpectedly (SIGKILL); restarting in 1s (restart 1)');
    expect(worker.pid).not.toBe(killed);
    expect(await readyStatus(worker)).toBe(200);
  }, 30_000);
  await eventually(async () => expect(notes).toContain(`payment is ready again (pid ${worker.pid})`));
});

test('under "never restart", a worker killed with SIGKILL stays down', async () => {
  const notes: string[] = [];
  const worker = track(await launchService(paymentSpec('payment-once', { notify: (line) => notes.push(line) })));
  const killed = worker.pid!;

  process.kill(killed, 'SIGKILL');
  await eventually(async () => expect(worker.running).toBe(false));
  // Longer than the first two delays of the restart policy.
  await sleep(RESTART_WITH_BACKOFF.firstDelayMs * 3 + 500);

  expect(worker.running).toBe(false);
  expect(worker.pid).toBe(killed);
  expect(await readyStatus(worker)).toBe('no answer');
  expect(notes).toEqual(['payment-once exited unexpectedly (SIGKILL)']);
});

test('a worker stopped under the restart policy drains and is not restarted', async () => {
  const notes: string[] = [];
  const worker = track(
    await launchService(paymentSpec('payment-stopped', { restart: RESTART_WITH_BACKOFF, notify: (line) => notes.push(line) })),
  );
  const stopped = worker.pid!;

  await worker.stop();
  await sleep(RESTART_WITH_BACKOFF.firstDelayMs * 3 + 500);

  expect(worker.running).toBe(false);
  expect(worker.pid).toBe(stopped);
  expect(notes).toEqual([]);
  expect(fs.readFileSync(path.join(dataDir, 'payment-stopped.log'), 'utf8')).toContain('payment worker stopped');
});
