import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { atConcurrency } from './lib/load';
import { awaitClosed, placeOrder } from './lib/orders';
import { BenchStack, type BenchStackOptions } from './lib/stack';
import { runSummary } from './lib/stats';
import { startPostgres } from '../lib/postgres';
import { createServiceDatabases, databaseUrlEnv } from '../lib/service-stores';
import { startTemporalCluster } from '../lib/temporal-cluster';

// The same real system (the API and every worker, through POST /orders until each workflow ends)
// on the two topologies, one after the other in one run:
//   - the dev server, every store a SQLite file, one process per worker, as `npm start` runs it;
//   - the cluster: the Temporal server on PostgreSQL (set up by compose's scripts), every store
//     in a database of its own on a second PostgreSQL, and --replicas processes each of payment,
//     inventory, shipping and email.
//
//   npm run bench:cluster                                  600 orders, 100 in flight, 3 replicas
//   npm run bench:cluster -- --orders 100 --concurrency 20 --replicas 2

const { values: flags } = parseArgs({
  options: {
    orders: { type: 'string', default: '600' },
    concurrency: { type: 'string', default: '100' },
    replicas: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '20' },
  },
});
const ORDERS = Number(flags.orders);
const CONCURRENCY = Number(flags.concurrency);
const REPLICAS = Number(flags.replicas);
const WARMUP = Number(flags.warmup);

const say = (line: string) => console.log(`[bench] ${line}`);

/** Places `count` orders, `concurrency` at a time, each until its workflow has ended; resolves with the run's summary line and rate. */
async function measure(stack: BenchStack, label: string, count: number, concurrency: number): Promise<{ line: string; rate: number }> {
  const startedAt = performance.now();
  const latencies = await atConcurrency(count, concurrency, async (index) => {
    const order = await placeOrder(stack.apiUrl, randomUUID(), index);
    await awaitClosed(stack.client, order.workflowId, 300_000);
  });
  const elapsedMs = performance.now() - startedAt;
  return { line: runSummary(label, latencies, elapsedMs), rate: (latencies.length / elapsedMs) * 1000 };
}

/** Starts a stack, warms it up with a few orders, measures it, and stops it. */
async function run(label: string, options: Partial<BenchStackOptions>): Promise<{ line: string; rate: number }> {
  const stack = await BenchStack.start({ restart: 'never', say, ...options });
  try {
    await measure(stack, `${label} (warm-up)`, WARMUP, Math.min(WARMUP, CONCURRENCY));
    return await measure(stack, label, ORDERS, CONCURRENCY);
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  say(`${ORDERS} orders, ${CONCURRENCY} in flight, on each topology (after ${WARMUP} warm-up orders)`);
  const devServer = await run('dev server, SQLite, 1 process per worker', {});

  const cluster = await startTemporalCluster({ namespaces: ['default'] });
  const servicesPostgres = await startPostgres().catch(async (err: unknown) => {
    await cluster.stop();
    throw err;
  });
  let onCluster: { line: string; rate: number };
  try {
    const urls = await createServiceDatabases(servicesPostgres);
    const replicas = { payment: REPLICAS, inventory: REPLICAS, shipping: REPLICAS, email: REPLICAS };
    onCluster = await run(`cluster, PostgreSQL, ${REPLICAS} replicas per store service`, {
      temporalAddress: cluster.address,
      env: databaseUrlEnv(urls),
      replicas,
    });
  } finally {
    await servicesPostgres.destroy();
    await cluster.stop();
  }

  console.log(
    `machine: ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(devServer.line);
  console.log(onCluster.line);
  console.log(`throughput, cluster / dev server: ${(onCluster.rate / devServer.rate).toFixed(2)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
