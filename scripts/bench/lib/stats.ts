/** The value that `p` percent of the values are at or below (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const median = (values: number[]): number => percentile(values, 50);

/** "p50 x  p95 y  p99 z  max w ms  (n=N)", one decimal below 10 ms. */
export function summary(values: number[]): string {
  const ms = (v: number) => (v < 10 ? v.toFixed(1) : v.toFixed(0));
  return `p50 ${ms(median(values))}  p95 ${ms(percentile(values, 95))}  p99 ${ms(percentile(values, 99))}  max ${ms(Math.max(...values))} ms  (n=${values.length})`;
}

const ms = (value: number): string => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);

/** Throughput and latency percentiles of a run, as one line. */
export function runSummary(label: string, latenciesMs: number[], elapsedMs: number): string {
  const rate = (latenciesMs.length / elapsedMs) * 1000;
  const [p50, p95, p99] = [50, 95, 99].map((p) => ms(percentile(latenciesMs, p)));
  return `${label}: ${latenciesMs.length} orders in ${(elapsedMs / 1000).toFixed(1)} s, ${rate.toFixed(2)} orders/s, p50 ${p50}, p95 ${p95}, p99 ${p99}`;
}
