import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../services/common/paths';
import { SERVICES } from '../../workflows/task-queues';
import { freePort } from '../lib/dev-server';
import { launchService } from '../lib/launcher';
import { exited } from '../lib/processes';

// Measures the whole system on this machine, on loopback only, and prints medians:
//   - cold start: `node dist/scripts/start.js` until the API answers /healthz;
//   - worker start: a worker process until its /readyz answers 200, i.e. it polls its task queue
//     (5 runs per service; the launcher asks every 50 ms, so a figure may be up to 50 ms late);
//   - order latency: POST /orders until GET /orders/:id reports "completed" (ORDERS sequential orders).
// Run it with `npm run bench:e2e` after `npm run build`. It stops everything it started.

const ORDERS = Number(process.env.ORDERS ?? 20);
const WORKER_RUNS = 5;
const dist = path.join(projectRoot, 'dist');

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, pollMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-e2e-'));
  const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_UI_PORT: String(uiPort),
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  };
  const api = `http://127.0.0.1:${apiPort}`;

  const startedAt = performance.now();
  const system = spawn(process.execPath, [path.join(dist, 'scripts', 'start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  system.stdout!.resume();
  system.stderr!.resume();
  try {
    await waitFor(async () => (await fetch(`${api}/healthz`)).ok, 120_000);
    const coldStartMs = performance.now() - startedAt;
    // Every worker polls before orders are timed.
    await sleep(2_000);

    const workerStarts: Record<string, number> = {};
    for (const service of SERVICES) {
      const runs: number[] = [];
      for (let run = 0; run < WORKER_RUNS; run += 1) {
        const t0 = performance.now();
        const worker = await launchService({
          service,
          name: `${service}-bench`,
          env: { ...env, DATA_DIR: path.join(dataDir, `extra-${service}`) },
          output: { logFile: path.join(dataDir, 'logs', `${service}-bench.log`) },
          restart: 'never',
        });
        runs.push(performance.now() - t0);
        await worker.stop();
      }
      workerStarts[service] = median(runs);
    }

    const latencies: number[] = [];
    for (let i = 0; i < ORDERS; i += 1) {
      const t0 = performance.now();
      const placed = await fetch(`${api}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customerId: `bench-${i}`,
          customerEmail: 'bench@example.com',
          items: [{ sku: 'STICKER-PACK', quantity: 1 }],
          paymentToken: 'tok_visa',
          shippingAddress: { name: 'Bench', line1: '1 Loop St', city: 'London', postalCode: 'N1', country: 'GB' },
        }),
      });
      if (placed.status !== 201) throw new Error(`POST /orders answered ${placed.status}: ${await placed.text()}`);
      const { orderId } = (await placed.json()) as { orderId: string };
      await waitFor(
        async () => ((await (await fetch(`${api}/orders/${orderId}`)).json()) as { status: string }).status === 'completed',
        60_000,
      );
      latencies.push(performance.now() - t0);
    }

    console.log(
      `machine: ${os.cpus().length} cores, node ${process.version}; SHIPPING_TRANSIT_MS=${process.env.SHIPPING_TRANSIT_MS ?? '1500 (default)'}`,
    );
    console.log(`cold start until the API answers:   ${coldStartMs.toFixed(0)} ms`);
    for (const [service, ms] of Object.entries(workerStarts))
      console.log(`worker start, ${service.padEnd(9)} median of ${WORKER_RUNS}: ${ms.toFixed(0)} ms`);
    console.log(
      `POST /orders until completed, ${ORDERS} sequential orders: median ${median(latencies).toFixed(0)} ms, p90 ${percentile(latencies, 90).toFixed(0)} ms`,
    );
  } finally {
    system.kill('SIGINT');
    await exited(system);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
