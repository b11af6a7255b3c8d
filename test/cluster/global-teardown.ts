import type { TemporalCluster } from '../../scripts/lib/temporal-cluster';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { temporalCluster?: TemporalCluster }).temporalCluster?.stop();
}
