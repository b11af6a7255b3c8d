import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { auditLines } from '../demo/audit';
import { auditLocalRun } from '../demo/local/store-audit';
import { atRate } from './lib/load';
import { awaitClosed, placeOrder } from './lib/orders';
import { REPLACE_AT_ONCE } from './lib/replacement';
import { BenchStack } from './lib/stack';
import { longestStall, stallCauses, workflowTaskTimeouts } from './lib/stalls';
import { percentile, runSummary } from './lib/stats';
import { SERVICES } from '../../workflows/task-queues';

// The kill-storm: orders at a steady rate through the API, first with no fault, then while a
// random worker is SIGKILLed every few seconds (and replaced at once), and the
// Temporal server and the API are each killed once. Prints both runs' figures, the ratio of their
// p95, and the reconciliation of the services' own stores: nothing lost, nothing done twice.
//
//   npm run bench:chaos                                   600 orders at 5/s per run
//   npm run bench:chaos -- --orders 60 --rate 3 --kill-every-ms 2000
//   npm run bench:chaos -- --replicas 2                   two processes per worker, as a Deployment with 2 replicas

const { values: flags } = parseArgs({
  options: {
    orders: { type: 'string', default: '600' },
    rate: { type: 'string', default: '5' },
    'kill-every-ms': { type: 'string', default: '4000' },
    replicas: { type: 'string', default: '1' },
  },
});
const ORDERS = Number(flags.orders);
const RATE = Number(flags.rate);
const KILL_EVERY_MS = Number(flags['kill-every-ms']);
const REPLICAS = Number(flags.replicas);

const SLOWEST = 5;

const say = (line: string) => console.log(`[chaos] ${line}`);

/** The indexes of the `count` largest values, largest first. */
const slowest = (latencies: number[], count: number): number[] =>
  latencies
    .map((ms, index) => ({ ms, index }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map(({ index }) => index);

async function main(): Promise<void> {
  // Every service's replicas share its SQLite file, in WAL mode, as processes on one host can.
  const replicas = Object.fromEntries(SERVICES.map((service) => [service, REPLICAS]));
  const stack = await BenchStack.start({ restart: REPLACE_AT_ONCE, say, replicas });
  try {
    const runOrders = async () => {
      // By index, as atRate gives the latencies: orders[i] took latencies[i].
      const orders: Awaited<ReturnType<typeof placeOrder>>[] = [];
      const startedAt = performance.now();
      const latencies = await atRate(ORDERS, RATE, async (index) => {
        const order = await placeOrder(stack.apiUrl, randomUUID(), index);
        orders[index] = order;
        await awaitClosed(stack.client, order.workflowId);
      });
      return { orders, latencies, elapsedMs: performance.now() - startedAt };
    };

    say(`${REPLICAS} process${REPLICAS > 1 ? 'es' : ''} per worker; no faults: ${ORDERS} orders at ${RATE}/s`);
    const calm = await runOrders();

    say(
      `kill-storm: ${ORDERS} orders at ${RATE}/s, a random worker SIGKILLed every ${KILL_EVERY_MS} ms, Temporal and the API killed once each`,
    );
    const storm = stormWhile(stack, (ORDERS / RATE) * 1000);
    const stormy = await runOrders();
    const faults = await storm;

    const report = await auditLocalRun(stack.client, stack.dataDir, [...calm.orders, ...stormy.orders]);
    const chargedTwice = report.checks.find((c) => c.name.startsWith('at most one capture'))!;

    console.log(runSummary('no faults ', calm.latencies, calm.elapsedMs));
    console.log(runSummary('kill-storm', stormy.latencies, stormy.elapsedMs));
    console.log(
      `p95 under the kill-storm / p95 with no faults: ${(percentile(stormy.latencies, 95) / percentile(calm.latencies, 95)).toFixed(2)}`,
    );
    console.log(
      `faults: ${faults.workerKills} worker kills, Temporal down ${(faults.temporalDownMs / 1000).toFixed(1)} s, API killed ${faults.apiKills}`,
    );
    console.log(`reconciliation: lost ${report.lost}, charged twice ${chargedTwice.ok ? 0 : Number(chargedTwice.detail.split(':')[0])}`);
    const timeouts = await workflowTaskTimeouts(
      stack.client,
      stormy.orders.map((order) => order.workflowId),
    );
    console.log(`workflow tasks timed out under the kill-storm: ${timeouts.tasks}, in ${timeouts.orders} orders`);
    // What sets the storm's p95: the orders over the goal (3 × the no-fault p95), by their longest wait.
    const goalMs = 3 * percentile(calm.latencies, 95);
    const overGoal = stormy.orders.filter((_, index) => stormy.latencies[index] > goalMs).map((order) => order.workflowId);
    console.log(`orders over 3 × the no-fault p95 (${(goalMs / 1000).toFixed(2)} s): ${overGoal.length}, by their longest wait:`);
    for (const cause of await stallCauses(stack.client, overGoal)) {
      console.log(`  ${String(cause.orders).padStart(4)} waited a median ${(cause.medianMs / 1000).toFixed(1)} s: ${cause.between}`);
    }
    // POST to completed includes what is outside the workflow: the API or Temporal down while it was placed.
    console.log(`the ${SLOWEST} slowest orders under the kill-storm: POST to completed, how long the workflow ran, its longest wait:`);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    for (const index of slowest(stormy.latencies, SLOWEST)) {
      const { ranMs, stall } = await longestStall(stack.client, stormy.orders[index].workflowId);
      console.log(
        `  ${seconds(stormy.latencies[index])}, ran ${seconds(ranMs)}, ${stall.workflowId} waited ${seconds(stall.ms)}: ${stall.between}`,
      );
    }
    for (const line of auditLines(report)) console.log(line);
    if (!report.passed) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

/** The faults, for `durationMs`: a random worker every KILL_EVERY_MS, Temporal at a third of the way, the API at two thirds. */
async function stormWhile(
  stack: BenchStack,
  durationMs: number,
): Promise<{ workerKills: number; temporalDownMs: number; apiKills: number }> {
  const endsAt = performance.now() + durationMs;
  const faults = { workerKills: 0, temporalDownMs: 0, apiKills: 0 };
  const crashTemporal = async () => {
    say('SIGKILL the Temporal server; it restarts on the same file');
    faults.temporalDownMs = await stack.crashTemporal();
    say(`Temporal answers again after ${(faults.temporalDownMs / 1000).toFixed(1)} s`);
  };
  const killApi = async () => {
    say(`SIGKILL the API (pid ${stack.api.pid})`);
    process.kill(stack.api.pid!, 'SIGKILL');
    faults.apiKills += 1;
  };
  const once = [
    { at: performance.now() + durationMs / 3, act: crashTemporal },
    { at: performance.now() + (2 * durationMs) / 3, act: killApi },
  ];
  while (performance.now() < endsAt) {
    await sleep(Math.min(KILL_EVERY_MS, Math.max(0, endsAt - performance.now())));
    const alive = stack.workers.filter((worker) => worker.running && worker.pid !== undefined);
    const victim = alive[Math.floor(Math.random() * alive.length)];
    if (victim) {
      process.kill(victim.pid!, 'SIGKILL');
      faults.workerKills += 1;
      say(`SIGKILL ${victim.name} (pid ${victim.pid})`);
    }
    for (const fault of once.filter((f) => performance.now() >= f.at)) {
      once.splice(once.indexOf(fault), 1);
      await fault.act();
    }
  }
  for (const fault of once) await fault.act();
  return faults;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
