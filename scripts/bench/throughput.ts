import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { atConcurrency } from './lib/load';
import { awaitClosed, placeOrder } from './lib/orders';
import { CpuMeter } from './lib/cpu';
import { BenchStack } from './lib/stack';
import { runSummary } from './lib/stats';

// `npm run bench`: the real system against bare Temporal, on one dev server in one run. First the
// bare workflow with the same hops and no logic or stores (bare.ts, its own workers), then real
// orders through the API and every service, at the same concurrency, each awaited through
// Temporal. Prints both runs and the ratio of their throughput.
//
//   npm run bench                                        600 orders, 100 at a time, then 30 one at a time
//   npm run bench -- --orders 200 --concurrency 50 --sequential 10
//   npm run bench -- --sqlite-defaults                   the dev server's file on SQLite's own defaults, not WAL

const { values: flags } = parseArgs({
  options: {
    orders: { type: 'string', default: '600' },
    concurrency: { type: 'string', default: '100' },
    sequential: { type: 'string', default: '30' },
    'sqlite-defaults': { type: 'boolean', default: false },
  },
});
const ORDERS = Number(flags.orders);
const CONCURRENCY = Number(flags.concurrency);
const SEQUENTIAL = Number(flags.sequential);
// SQLite's own defaults, after the WAL pragmas startDevServer gives a file (the later value of a pragma wins).
const SQLITE_DEFAULTS = ['journal_mode=delete', 'synchronous=full'].flatMap((pragma) => ['--sqlite-pragma', pragma]);

const run = promisify(execFile);

/** The bare workflow's run on the same server: orders/s, its latency line and its CPU line, as bare.ts prints them. */
async function bare(address: string, serverPid: number, args: string[]): Promise<{ perSecond: number; latency: string; cpu: string }> {
  const { stdout } = await run(process.execPath, [path.join(__dirname, 'bare.js'), ...args, '--server-pid', String(serverPid)], {
    env: { ...process.env, TEMPORAL_ADDRESS: address },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const perSecond = /: ([\d.]+) orders\/s$/m.exec(stdout)?.[1];
  const latency = /^start to result: (.*)$/m.exec(stdout)?.[1];
  const cpu = /^(CPU per order: .*)$/m.exec(stdout)?.[1];
  if (!perSecond || !latency || !cpu) throw new Error(`bare.js printed no figures:\n${stdout}`);
  return { perSecond: Number(perSecond), latency, cpu };
}

async function main(): Promise<void> {
  const stack = await BenchStack.start({
    restart: 'never',
    say: (line) => console.log(`[bench] ${line}`),
    serverArgs: flags['sqlite-defaults'] ? SQLITE_DEFAULTS : [],
  });
  try {
    const realOrders = async (total: number, concurrency: number) => {
      const cpu = new CpuMeter(() => ({
        server: stack.server.process.pid,
        client: process.pid,
        api: stack.api.pid,
        ...Object.fromEntries(stack.workers.map((worker) => [worker.name, worker.pid])),
      }));
      const startedAt = performance.now();
      const latencies = await atConcurrency(total, concurrency, async (index) => {
        const order = await placeOrder(stack.apiUrl, randomUUID(), index);
        await awaitClosed(stack.client, order.workflowId);
      });
      return { latencies, elapsedMs: performance.now() - startedAt, cpu: cpu.perOrder(total) };
    };

    console.log(
      `machine: ${os.cpus().length} cores, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}, node ${process.version}`,
    );
    console.log(
      `server: the dev server on a file, ${flags['sqlite-defaults'] ? "with SQLite's own defaults (journal_mode=delete, synchronous=full)" : 'in WAL mode, as npm start runs it'} (${stack.server.address})`,
    );
    const bareAtCeiling = await bare(stack.server.address, stack.server.process.pid!, [
      '--orders',
      String(ORDERS),
      '--concurrency',
      String(CONCURRENCY),
      '--histories',
      '1',
    ]);
    console.log(
      `bare, ${ORDERS} orders, ${CONCURRENCY} at a time: ${bareAtCeiling.perSecond.toFixed(2)} orders/s, start to result ${bareAtCeiling.latency}`,
    );
    console.log(`  bare ${bareAtCeiling.cpu}`);
    const ours = await realOrders(ORDERS, CONCURRENCY);
    console.log(runSummary(`ours, ${ORDERS} orders, ${CONCURRENCY} at a time, POST to completed`, ours.latencies, ours.elapsedMs));
    console.log(`  ours ${ours.cpu}`);
    const oursPerSecond = (ours.latencies.length / ours.elapsedMs) * 1000;
    console.log(`throughput, ours / bare: ${(oursPerSecond / bareAtCeiling.perSecond).toFixed(2)}`);

    const bareAlone = await bare(stack.server.address, stack.server.process.pid!, [
      '--one-at-a-time',
      '--orders',
      String(SEQUENTIAL),
      '--histories',
      '1',
    ]);
    console.log(`bare, one at a time: start to result ${bareAlone.latency}`);
    const oursAlone = await realOrders(SEQUENTIAL, 1);
    console.log(runSummary('ours, one at a time, POST to completed', oursAlone.latencies, oursAlone.elapsedMs));
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
