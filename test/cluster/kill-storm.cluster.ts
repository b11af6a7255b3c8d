import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { atRate } from '../../scripts/bench/lib/load';
import { awaitClosed, placeOrder } from '../../scripts/bench/lib/orders';
import { REPLACE_AT_ONCE } from '../../scripts/bench/lib/replacement';
import { percentile } from '../../scripts/bench/lib/stats';
import { auditLines, type PlacedOrder } from '../../scripts/demo/audit';
import { auditLocalRun } from '../../scripts/demo/local/store-audit';
import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres';
import { createServiceDatabases, type DatabaseUrls } from '../../scripts/lib/service-stores';
import { startTemporalCluster, type TemporalCluster } from '../../scripts/lib/temporal-cluster';
import { connectTemporalClient } from '../../services/common/temporal-connection';
import { listeningTestApp } from '../api/support';
import { TestStack, testKeyring } from '../support/stack';
import { CLUSTER_NAMESPACE } from './namespace';

// Orders flow through the API, paced, while a random replica is SIGKILLed every few seconds (and
// replaced half a second later, as a Deployment would), the Temporal server is killed and started
// again once, and the services' PostgreSQL is crashed and started again once. Then the audit reads
// Temporal and each service's own database. A cluster and a services' PostgreSQL of this file's
// own: killing the suite's would fail the other files' orders.

const ORDERS = Number(process.env.KILL_STORM_ORDERS ?? 300);
const RATE = Number(process.env.KILL_STORM_RATE ?? 1.5);
const KILL_EVERY_MS = Number(process.env.KILL_STORM_KILL_EVERY_MS ?? 3000);
const POSTGRES_DOWN_MS = 3000;
// The API must have taken each order this long after it was first sent, and every order must have
// ended this long after the last was placed, or the run fails instead of hanging.
const ORDER_DEADLINE_MS = 300_000;
const DRAIN_MS = 360_000;

const say = (line: string) => console.log(`[kill-storm] ${line}`);

let cluster: TemporalCluster;
let servicesPostgres: PostgresServer;
let databaseUrls: DatabaseUrls;
let stack: TestStack;
let api: { app: FastifyInstance; url: string };
let apiConnection: Awaited<ReturnType<typeof connectTemporalClient>>;
const suiteAddress = process.env.TEMPORAL_ADDRESS;

beforeAll(async () => {
  cluster = await startTemporalCluster({ namespaces: [CLUSTER_NAMESPACE] });
  servicesPostgres = await startPostgres();
  databaseUrls = await createServiceDatabases(servicesPostgres);
  // TestStack, its client and its workers connect to TEMPORAL_ADDRESS: this file's cluster.
  process.env.TEMPORAL_ADDRESS = cluster.address;
  stack = await TestStack.start({
    namespace: CLUSTER_NAMESPACE,
    databaseUrls,
    restart: REPLACE_AT_ONCE,
    env: { SHIPPING_TRANSIT_MS: '0' },
  });
  // The API has a connection of its own, as its own process would: the test's hundreds of waits for
  // results would otherwise fill the one connection's streams and hold back the API's calls.
  apiConnection = await connectTemporalClient({ address: cluster.address, namespace: CLUSTER_NAMESPACE, keyring: testKeyring });
  api = await listeningTestApp(apiConnection.client, { rateLimit: { max: 1_000_000, windowMs: 60_000 }, temporalTimeoutMs: 5000 });
}, 300_000);

afterAll(async () => {
  await api?.app.close();
  await apiConnection?.connection.close();
  await stack?.stop();
  await servicesPostgres?.destroy();
  await cluster?.stop();
  process.env.TEMPORAL_ADDRESS = suiteAddress;
});

interface Restart {
  what: string;
  /** When it went down, and when it answered again (performance.now()). */
  downAt: number;
  backAt: number;
}

test(`${ORDERS} orders through a kill-storm on the cluster topology: none lost, none charged twice, and every store reconciles`, async () => {
  const placed: PlacedOrder[] = [];
  const failures: string[] = [];
  const completedAt: number[] = [];
  const kills = new Map<string, number>();
  const restarts: Restart[] = [];
  const durationMs = (ORDERS / RATE) * 1000;
  say(
    `${ORDERS} orders at ${RATE}/s; ${stack.allWorkers.length} worker processes; a replica SIGKILLed every ${KILL_EVERY_MS} ms, Temporal and PostgreSQL restarted once each`,
  );

  const restart = async (what: string, down: () => Promise<void>, up: () => Promise<void>) => {
    say(`${what} goes down`);
    const downAt = performance.now();
    await down();
    await up();
    restarts.push({ what, downAt, backAt: performance.now() });
    say(`${what} answers again after ${((performance.now() - downAt) / 1000).toFixed(1)} s`);
  };
  const once = [
    {
      at: durationMs / 3,
      act: () =>
        restart(
          'the Temporal server (SIGKILL)',
          () => cluster.stopServer('SIGKILL'),
          () => cluster.startServer(),
        ),
    },
    {
      at: (2 * durationMs) / 3,
      act: () =>
        restart(
          "the services' PostgreSQL (immediate shutdown)",
          async () => {
            await servicesPostgres.stop('immediate');
            await sleep(POSTGRES_DOWN_MS);
          },
          () => servicesPostgres.start(),
        ),
    },
  ];

  const storm = async () => {
    const startedAt = performance.now();
    while (performance.now() - startedAt < durationMs) {
      await sleep(KILL_EVERY_MS);
      const alive = stack.allWorkers.filter((worker) => worker.running && worker.pid !== undefined);
      const victim = alive[Math.floor(Math.random() * alive.length)];
      if (victim) {
        process.kill(victim.pid!, 'SIGKILL');
        kills.set(victim.name, (kills.get(victim.name) ?? 0) + 1);
      }
      for (const fault of once.filter((f) => performance.now() - startedAt >= f.at)) {
        once.splice(once.indexOf(fault), 1);
        await fault.act();
      }
    }
    for (const fault of once) await fault.act();
  };

  const startedAt = performance.now();
  const runDeadline = startedAt + durationMs + DRAIN_MS;
  const [latencies] = await Promise.all([
    // A placement that fails is recorded, not thrown. A wait that runs out is not a verdict: the
    // audit counts the order lost if it never ended.
    atRate(ORDERS, RATE, async (index) => {
      const order = await placeOrder(api.url, randomUUID(), index, ORDER_DEADLINE_MS).catch((err: unknown) => {
        failures.push(`order ${index}: ${String((err as Error)?.message ?? err)}`);
      });
      if (!order) return;
      placed.push(order);
      await awaitClosed(stack.client, order.workflowId, runDeadline - performance.now()).then(
        () => void completedAt.push(performance.now()),
        () => undefined,
      );
    }),
    storm(),
  ]);
  const elapsedMs = performance.now() - startedAt;

  const report = await auditLocalRun(stack.client, stack.dataDir, placed, databaseUrls);
  const chargedTwice = report.checks.find((c) => c.name.startsWith('at most one capture'))!;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const recovery = restarts.map(({ what, downAt, backAt }) => {
    const firstAfter = Math.min(...completedAt.filter((at) => at > backAt));
    return `${what}: down ${seconds(backAt - downAt)}, first order completed ${seconds(firstAfter - backAt)} after it was back`;
  });
  const killed = [...kills].sort(([a], [b]) => a.localeCompare(b));
  console.log(
    [
      `[kill-storm] ${placed.length} orders in ${seconds(elapsedMs)} (${((placed.length / elapsedMs) * 1000).toFixed(2)} orders/s): completed ${report.completed}, compensated ${report.compensated}, lost ${report.lost}`,
      `completion latency, POST to closed: p50 ${seconds(percentile(latencies, 50))}, p95 ${seconds(percentile(latencies, 95))}, max ${seconds(Math.max(...latencies))}`,
      `kills: ${killed.reduce((sum, [, n]) => sum + n, 0)} SIGKILLs (${killed.map(([name, n]) => `${name} ${n}`).join(', ')})`,
      ...recovery,
      `reconciliation: lost ${report.lost}, charged twice ${chargedTwice.ok ? 0 : chargedTwice.detail.split(':')[0]}`,
      ...auditLines(report),
    ].join('\n'),
  );

  expect(failures).toEqual([]);
  expect(placed).toHaveLength(ORDERS);
  expect(restarts.map((r) => r.what)).toEqual(['the Temporal server (SIGKILL)', "the services' PostgreSQL (immediate shutdown)"]);
  expect([...kills.values()].reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
  expect(report.lost).toBe(0);
  expect(report.completed).toBe(ORDERS);
  expect(chargedTwice.ok).toBe(true);
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report.passed).toBe(true);
}, 720_000);
