import { setTimeout as sleep } from 'node:timers/promises';

// Two shapes of load: a fixed number of orders in flight (throughput at the ceiling), or a fixed
// arrival rate (latency under a steady stream, as in the kill-storm). Each order is one async call.

/** Runs `total` calls with `concurrency` in flight at any time; resolves with each call's duration in ms. */
export async function atConcurrency(total: number, concurrency: number, call: (index: number) => Promise<void>): Promise<number[]> {
  const durations: number[] = [];
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < total; index = next++) {
      const startedAt = performance.now();
      await call(index);
      durations.push(performance.now() - startedAt);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  return durations;
}

/** Starts `total` calls at `perSecond` whatever their progress; resolves with each call's duration in ms. */
export async function atRate(total: number, perSecond: number, call: (index: number) => Promise<void>): Promise<number[]> {
  const startedAt = performance.now();
  const calls: Promise<number>[] = [];
  for (let index = 0; index < total; index += 1) {
    const due = startedAt + (index * 1000) / perSecond;
    await sleep(Math.max(0, due - performance.now()));
    const callStartedAt = performance.now();
    calls.push(call(index).then(() => performance.now() - callStartedAt));
  }
  return Promise.all(calls);
}
