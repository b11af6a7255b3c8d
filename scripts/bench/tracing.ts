import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { OtlpReceiver } from '../lib/otlp-receiver';
import { atConcurrency } from './lib/load';
import { awaitClosed, placeOrder } from './lib/orders';
import { BenchStack } from './lib/stack';
import { runSummary } from './lib/stats';

// `npm run bench:tracing`: what tracing costs. The real system twice in one run, each on a fresh
// stack: first with no OTLP endpoint (the shipped default: no exporter), then exporting every
// process's spans to a receiver on loopback. Each run warms up, then places the orders through the
// API at the same concurrency and awaits each through Temporal. Prints both, and the ratio.
//
//   npm run bench:tracing                                          200 orders, 50 at a time
//   npm run bench:tracing -- --orders 400 --concurrency 100

const { values: flags } = parseArgs({
  options: {
    orders: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '50' },
  },
});
const ORDERS = Number(flags.orders);
const CONCURRENCY = Number(flags.concurrency);

const say = (line: string) => console.log(`[bench] ${line}`);

/** Orders/s of one stack with this environment, after a warm-up of one order per lane. */
async function ordersPerSecond(label: string, env: NodeJS.ProcessEnv): Promise<number> {
  const stack = await BenchStack.start({ restart: 'never', env, say });
  try {
    const order = async (index: number) => awaitClosed(stack.client, (await placeOrder(stack.apiUrl, randomUUID(), index)).workflowId);
    await atConcurrency(CONCURRENCY, CONCURRENCY, order);
    const startedAt = performance.now();
    const latencies = await atConcurrency(ORDERS, CONCURRENCY, order);
    const elapsedMs = performance.now() - startedAt;
    console.log(runSummary(`${label}, ${ORDERS} orders, ${CONCURRENCY} at a time, POST to completed`, latencies, elapsedMs));
    return (latencies.length / elapsedMs) * 1000;
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(`machine: ${os.cpus().length} cores, load ${load}, node ${process.version}`);
  const untraced = await ordersPerSecond('tracing off', {});
  const receiver = await OtlpReceiver.start();
  try {
    const traced = await ordersPerSecond('tracing on ', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
    const traces = new Set(receiver.spans.map((span) => span.traceId)).size;
    console.log(
      `exported: ${receiver.spans.length} spans in ${traces} traces (${(receiver.spans.length / (ORDERS + CONCURRENCY)).toFixed(1)} per order)`,
    );
    console.log(`throughput, traced / untraced: ${(traced / untraced).toFixed(2)}`);
  } finally {
    await receiver.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
