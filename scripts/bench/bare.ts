import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { freePort, startDevServer, type DevServer } from '../lib/dev-server';
import { exited, stopProcess } from '../lib/processes';
import { waitsOf } from './bare/schedule-to-start';
import { CpuMeter } from './lib/cpu';
import { median, summary } from './lib/stats';
import { BareTaskQueues, type BareService } from './bare/task-queues';
import { experimentalSettings } from './bare/worker-options';
import { BareOrderWorkflow } from './bare/workflows';

// A bare order (scripts/bench/bare/workflows.ts: the same hops as an OrderWorkflow, no logic, no
// stores) through a real Temporal server, with one worker process per service as in the real
// system. Prints orders/s and latency percentiles, then each kind of wait read from the histories.
//
//   node dist/scripts/bench/bare.js                       600 orders, 100 at a time, own dev server
//   node dist/scripts/bench/bare.js --one-at-a-time       30 orders, one after the other
//   TEMPORAL_ADDRESS=127.0.0.1:7233 node dist/scripts/bench/bare.js   against a running server
//   --db-file F, --server-arg ARG (repeatable)            the dev server's persistence and flags
//   --kill-server-after-ms T (with --db-file)             SIGKILL the server mid-run, restart it, check every order
//   --server-pid P (with TEMPORAL_ADDRESS)                the given server's process, to count its CPU too
//   BARE_* variables                                      worker options (bare/worker-options.ts)

const { values: flags } = parseArgs({
  options: {
    orders: { type: 'string' },
    concurrency: { type: 'string' },
    'one-at-a-time': { type: 'boolean', default: false },
    'pause-ms': { type: 'string', default: '0' },
    'settle-ms': { type: 'string', default: '2000' },
    histories: { type: 'string' },
    'db-file': { type: 'string' },
    'server-arg': { type: 'string', multiple: true, default: [] },
    'kill-server-after-ms': { type: 'string' },
    'server-pid': { type: 'string' },
  },
});
const sequential = flags['one-at-a-time'];
const ORDERS = Number(flags.orders ?? (sequential ? 30 : 600));
const CONCURRENCY = sequential ? 1 : Number(flags.concurrency ?? 100);
const PAUSE_MS = Number(flags['pause-ms']);
const HISTORIES = Math.min(ORDERS, Number(flags.histories ?? (sequential ? ORDERS : 50)));
const KILL_AFTER_MS = flags['kill-server-after-ms'] === undefined ? undefined : Number(flags['kill-server-after-ms']);
if (KILL_AFTER_MS !== undefined && !flags['db-file'])
  throw new Error('--kill-server-after-ms needs --db-file: an in-memory server keeps nothing');
if (KILL_AFTER_MS !== undefined && process.env.TEMPORAL_ADDRESS)
  throw new Error('--kill-server-after-ms kills only a dev server the benchmark started; unset TEMPORAL_ADDRESS');

const dist = path.resolve(__dirname, '..', '..');

async function bundleBareWorkflows(dir: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./bare/workflows'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  const file = path.join(dir, 'bare-workflows.js');
  fs.writeFileSync(file, code);
  return file;
}

/** One bare worker process; its readiness is read from the server's pollers, not from its output. */
function startWorker(service: BareService, address: string, bundle: string): ChildProcess {
  return spawn(process.execPath, [path.join(dist, 'scripts', 'bench', 'bare', 'worker.js'), service], {
    env: { ...process.env, TEMPORAL_ADDRESS: address, BARE_WORKFLOW_BUNDLE: bundle },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Resolves once every bare queue has a poller of each kind its worker runs, as the server sees it. */
async function waitForPollers(client: Client): Promise<void> {
  const { TaskQueueType } = temporal.api.enums.v1;
  const wanted: [string, number][] = [
    ...(['orders', 'inventory', 'shipping'] as const).map((s): [string, number] => [
      BareTaskQueues[s],
      TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    ]),
    ...(['inventory', 'fraud', 'payment', 'shipping', 'email'] as const).map((s): [string, number] => [
      BareTaskQueues[s],
      TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    ]),
  ];
  const deadline = Date.now() + 60_000;
  for (const [name, taskQueueType] of wanted) {
    for (;;) {
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name },
        taskQueueType,
      });
      if (pollers.length > 0) break;
      if (Date.now() > deadline) throw new Error(`no poller on ${name} after 60 s`);
      await sleep(100);
    }
  }
}

interface Run {
  latencies: number[];
  elapsedMs: number;
  /** The orders that completed. */
  ids: string[];
  /** Orders whose start the server acknowledged and then no longer knew (durability check). */
  lost: string[];
}

/** Places ORDERS orders CONCURRENCY at a time; `onOutage` is awaited before retrying a call that failed. */
async function placeOrders(client: Client, runId: string, onOutage: () => Promise<void>): Promise<Run> {
  const latencies: number[] = [];
  const ids: string[] = [];
  const lost: string[] = [];
  let next = 0;
  const orderOnce = async (orderId: string): Promise<void> => {
    const workflowId = `bare-order-${orderId}`;
    const t0 = performance.now();
    // Once the server has acknowledged the start, the order is only ever awaited, never started
    // again, so a workflow the server lost shows up as not found instead of being silently re-created.
    let handle: WorkflowHandle<typeof BareOrderWorkflow> | undefined;
    for (;;) {
      try {
        handle ??= await client.workflow.start(BareOrderWorkflow, { taskQueue: BareTaskQueues.orders, workflowId, args: [orderId] });
        await handle.result();
        break;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError && handle) {
          lost.push(orderId);
          return;
        }
        if (err instanceof WorkflowExecutionAlreadyStartedError) handle = client.workflow.getHandle(workflowId);
        else if (KILL_AFTER_MS === undefined) throw err;
        else await onOutage();
      }
    }
    latencies.push(performance.now() - t0);
    ids.push(orderId);
  };
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ORDERS) {
        await orderOnce(`${runId}-${next++}`);
        if (PAUSE_MS) await sleep(PAUSE_MS);
      }
    }),
  );
  return { latencies, elapsedMs: performance.now() - t0, ids, lost };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bare-'));
  const givenAddress = process.env.TEMPORAL_ADDRESS;
  const port = givenAddress ? undefined : await freePort();
  let server: DevServer | undefined;
  const serverArgs = flags['server-arg'];
  if (port) server = await startDevServer({ port, dbFile: flags['db-file'], extraArgs: serverArgs });
  const address = givenAddress ?? server!.address;
  const workers: ChildProcess[] = [];
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    const bundle = await bundleBareWorkflows(dir);
    const services = Object.keys(BareTaskQueues) as BareService[];
    for (const service of services) workers.push(startWorker(service, address, bundle));
    await waitForPollers(client);
    await sleep(Number(flags['settle-ms']));
    const cpu = new CpuMeter(() => ({
      server: server?.process.pid ?? (flags['server-pid'] ? Number(flags['server-pid']) : undefined),
      client: process.pid,
      ...Object.fromEntries(services.map((service, i) => [service, workers[i].pid])),
    }));

    let serverBack: Promise<void> = Promise.resolve();
    if (KILL_AFTER_MS !== undefined) {
      serverBack = (async () => {
        await sleep(KILL_AFTER_MS);
        server!.process.kill('SIGKILL');
        await exited(server!.process);
        console.log(`dev server SIGKILLed ${KILL_AFTER_MS} ms into the run; restarting it on the same file`);
        server = await startDevServer({ port: port!, dbFile: flags['db-file'], extraArgs: serverArgs });
      })();
    }
    const run = await placeOrders(client, `${Date.now().toString(36)}`, () => serverBack.then(() => sleep(200)));
    await serverBack;

    console.log(
      `machine: ${os.cpus().length} cores, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (shared), node ${process.version}`,
    );
    console.log(
      `server: ${givenAddress ? `given, ${address}` : `dev server, ${flags['db-file'] ? `file ${flags['db-file']}` : 'in memory'} ${serverArgs.join(' ')}`}`,
    );
    console.log(`worker options: ${experimentalSettings().join(' ') || 'as services/common/worker-runner.ts'}`);
    console.log(
      `${ORDERS} orders, ${CONCURRENCY} at a time${PAUSE_MS ? `, ${PAUSE_MS} ms pause` : ''}: ${((ORDERS / run.elapsedMs) * 1000).toFixed(1)} orders/s`,
    );
    console.log(`start to result: ${summary(run.latencies)}${sequential ? `; first order ${run.latencies[0].toFixed(0)} ms` : ''}`);
    console.log(cpu.perOrder(run.ids.length));
    if (KILL_AFTER_MS !== undefined) {
      console.log(
        `after the kill and restart: ${run.ids.length} of ${ORDERS} orders completed, ${run.lost.length} acknowledged and then not found${run.lost.length ? `: ${run.lost.slice(0, 10).join(' ')}` : ''}`,
      );
    }

    const waits = await waitsOf(client.workflow, run.ids.slice(-HISTORIES));
    console.log(`waits in the last ${HISTORIES} orders' histories (event timestamps):`);
    for (const [kind, values] of [...waits].sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${kind.padEnd(58)} ${summary(values)}`);
    const perOrder = (kind: string) => (waits.get(kind)?.length ?? 0) / HISTORIES;
    const stsKinds = [...waits.keys()].filter((k) => k.includes('schedule-to-start'));
    const stsTotal = stsKinds.reduce((sum, k) => sum + median(waits.get(k)!) * perOrder(k), 0);
    console.log(
      `  schedule-to-start per order (sum of medians x count): ${stsTotal.toFixed(0)} ms over ${stsKinds.reduce((n, k) => n + perOrder(k), 0).toFixed(0)} tasks`,
    );
  } finally {
    await connection.close();
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => exited(worker)));
    if (server) await stopProcess(server.process, 10_000);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
