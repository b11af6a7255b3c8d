import { setTimeout as sleep } from 'node:timers/promises';

// API latency against a local stack (`npm start`): POST /orders at a fixed request rate, then
// GET /orders/:id at a fixed concurrency, for finished orders (read from history) and for
// running ones (answered by the orders worker's status query). Loopback only, bounded in
// count and time; it stops by itself.
//
//   node dist/scripts/bench/api-latency.js
//   API_URL=http://127.0.0.1:3000 BENCH_RATE=20 BENCH_SECONDS=15 BENCH_CONCURRENCY=8 BENCH_READS=1000 node dist/scripts/bench/api-latency.js
//
// The API's rate limit (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS, per client IP) must allow the
// load, or the numbers measure 429s: start the stack with RATE_LIMIT_MAX=100000.

const API_URL = new URL(process.env.API_URL ?? 'http://127.0.0.1:3000');
const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const READS = Number(process.env.BENCH_READS ?? 1000);
const API_KEY = process.env.API_KEY;

// Hard bounds, whatever the settings say.
const MAX_REQUESTS = 5000;
const MAX_RUN_MS = 180_000;
const REQUEST_TIMEOUT_MS = 10_000;

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

interface Sample {
  ms: number;
  status: number;
}

const order = (quantity: number, sku = 'STICKER-PACK') => ({
  customerId: 'c-bench',
  customerEmail: 'bench@example.com',
  items: [{ sku, quantity }],
  paymentToken: 'tok_visa',
  shippingAddress: { name: 'Bench Mark', line1: '1 Loop Rd', city: 'Localhost', postalCode: '127', country: 'GB' },
});

async function timed(path: string, init: RequestInit = {}): Promise<Sample & { body?: unknown }> {
  const started = performance.now();
  try {
    const res = await fetch(new URL(path, API_URL), {
      ...init,
      headers: { 'content-type': 'application/json', ...(API_KEY && { 'x-api-key': API_KEY }), ...init.headers },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = await res.json().catch(() => undefined);
    return { ms: performance.now() - started, status: res.status, body };
  } catch {
    return { ms: performance.now() - started, status: 0 };
  }
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function report(name: string, samples: Sample[], wallMs: number, expected: number): void {
  const ok = samples
    .filter((sample) => sample.status === expected)
    .map((sample) => sample.ms)
    .sort((a, b) => a - b);
  const statuses = [...new Set(samples.map((sample) => sample.status))].map(
    (status) => `${status || 'no answer'}×${samples.filter((s) => s.status === status).length}`,
  );
  const fmt = (ms: number | undefined) => (ms === undefined ? '-' : `${ms.toFixed(1)} ms`);
  console.log(
    `${name.padEnd(44)} n=${String(samples.length).padStart(5)}  ${(samples.length / (wallMs / 1000)).toFixed(1).padStart(6)} req/s  ` +
      `median ${fmt(percentile(ok, 50))}  p90 ${fmt(percentile(ok, 90))}  p99 ${fmt(percentile(ok, 99))}  max ${fmt(ok.at(-1))}  [${statuses.join(' ')}]`,
  );
}

/** Sends `count` requests at a fixed rate (open loop): latency counts from the planned send time, so a slow server cannot hide its queueing. */
async function atRate(
  count: number,
  perSecond: number,
  send: (index: number) => Promise<Sample>,
): Promise<{ samples: Sample[]; wallMs: number }> {
  const started = performance.now();
  const pending: Promise<Sample>[] = [];
  for (let i = 0; i < count; i++) {
    const planned = started + (i * 1000) / perSecond;
    const wait = planned - performance.now();
    if (wait > 0) await sleep(wait);
    const late = Math.max(0, performance.now() - planned);
    pending.push(send(i).then((sample) => ({ ...sample, ms: sample.ms + late })));
  }
  const samples = await Promise.all(pending);
  return { samples, wallMs: performance.now() - started };
}

/** Sends `count` requests from `concurrency` loops, each sending its next request once the last one answered. */
async function atConcurrency(
  count: number,
  concurrency: number,
  send: (index: number) => Promise<Sample>,
): Promise<{ samples: Sample[]; wallMs: number }> {
  const started = performance.now();
  const samples: Sample[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && performance.now() - started < MAX_RUN_MS / 3) samples.push(await send(next++));
    }),
  );
  return { samples, wallMs: performance.now() - started };
}

async function main(): Promise<void> {
  if (!LOOPBACK.test(API_URL.hostname)) throw new Error(`API_URL must be a loopback address, got ${API_URL.hostname}`);
  const writes = Math.min(Math.round(RATE * SECONDS), MAX_REQUESTS);
  const reads = Math.min(READS, MAX_REQUESTS);
  const stop = setTimeout(() => {
    console.error(`bench: still running after ${MAX_RUN_MS / 1000}s; stopping`);
    process.exit(2);
  }, MAX_RUN_MS);

  const ready = await timed('/readyz');
  if (ready.status !== 200) throw new Error(`the API at ${API_URL.origin} is not ready (${ready.status}): start it with npm start`);
  console.log(
    `API ${API_URL.origin}: ${writes} POST /orders at ${RATE}/s, then ${reads} GET /orders/:id per case at concurrency ${CONCURRENCY}\n`,
  );

  // Orders above the approval threshold stay running (waiting for a person): their reads go to the orders worker's query.
  const waiting: string[] = [];
  for (let i = 0; i < 20; i++) {
    const placed = await timed('/orders', { method: 'POST', body: JSON.stringify(order(10, 'POSTER-LIMITED')) });
    if (placed.status === 201) waiting.push((placed.body as { orderId: string }).orderId);
  }

  const placedIds: string[] = [];
  const posts = await atRate(writes, RATE, async () => {
    const placed = await timed('/orders', { method: 'POST', body: JSON.stringify(order(1)) });
    if (placed.status === 201) placedIds.push((placed.body as { orderId: string }).orderId);
    return placed;
  });
  report(`POST /orders at ${RATE}/s`, posts.samples, posts.wallMs, 201);

  // Let the placed orders finish, so the next reads are of finished orders.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const last = await timed(`/orders/${placedIds.at(-1)}`);
    if ((last.body as { status?: string } | undefined)?.status === 'completed') break;
    await sleep(500);
  }
  const finished = await atConcurrency(reads, CONCURRENCY, (i) => timed(`/orders/${placedIds[i % placedIds.length]}`));
  report(`GET /orders/:id, finished (history), c=${CONCURRENCY}`, finished.samples, finished.wallMs, 200);
  const running = await atConcurrency(reads, CONCURRENCY, (i) => timed(`/orders/${waiting[i % waiting.length]}`));
  report(`GET /orders/:id, running (query), c=${CONCURRENCY}`, running.samples, running.wallMs, 200);

  await Promise.all(
    waiting.map((orderId) =>
      timed(`/orders/${orderId}/cancel`, { method: 'POST', body: JSON.stringify({ reason: 'benchmark clean-up' }) }),
    ),
  );
  clearTimeout(stop);
}

main().catch((err) => {
  console.error('bench:', err instanceof Error ? err.message : err);
  process.exit(1);
});
