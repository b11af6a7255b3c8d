import { startTemporalCluster, type TemporalCluster } from '../../scripts/lib/temporal-cluster';
import { TEST_NAMESPACES } from '../support/namespaces';

/** Starts the cluster topology for the whole run: the Temporal server on PostgreSQL, set up by compose's scripts. */
export default async function globalSetup(): Promise<void> {
  const cluster = await startTemporalCluster({ namespaces: [...TEST_NAMESPACES] });
  process.env.TEMPORAL_ADDRESS = cluster.address;
  (globalThis as { temporalCluster?: TemporalCluster }).temporalCluster = cluster;
}
