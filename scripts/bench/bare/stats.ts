/** The p-th percentile (nearest rank) of some numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const median = (values: number[]): number => percentile(values, 50);

/** "p50 x, p95 y, p99 z ms (n)", one decimal below 10 ms. */
export function summary(values: number[]): string {
  const ms = (v: number) => (v < 10 ? v.toFixed(1) : v.toFixed(0));
  return `p50 ${ms(median(values))}  p95 ${ms(percentile(values, 95))}  p99 ${ms(percentile(values, 99))}  max ${ms(Math.max(...values))} ms  (n=${values.length})`;
}
