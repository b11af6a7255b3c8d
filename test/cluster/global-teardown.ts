import type { PostgresServer } from '../../scripts/lib/postgres';
import type { TemporalCluster } from '../../scripts/lib/temporal-cluster';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { temporalCluster?: TemporalCluster; servicesPostgres?: PostgresServer };
  await state.temporalCluster?.stop();
  await state.servicesPostgres?.destroy();
}
