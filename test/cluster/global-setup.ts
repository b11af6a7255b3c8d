import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres';
import { createServiceDatabases } from '../../scripts/lib/service-stores';
import { startTemporalCluster } from '../../scripts/lib/temporal-cluster';
import { TEST_NAMESPACES } from '../support/namespaces';
import type { Replicas } from '../support/stack';
import { CLUSTER_REPLICAS } from './topology';

/**
 * Starts the cluster topology for the whole run: the Temporal server on PostgreSQL, set up by
 * compose's scripts, and a second PostgreSQL for the services, with a database and a user per
 * service. Every TestStack of the suite reads their URLs and the replica counts from the env.
 */
export default async function globalSetup(): Promise<void> {
  const cluster = await startTemporalCluster({ namespaces: [...TEST_NAMESPACES] });
  let services: PostgresServer | undefined;
  try {
    services = await startPostgres();
    process.env.TEST_DATABASE_URLS = JSON.stringify(await createServiceDatabases(services));
  } catch (err) {
    await services?.destroy();
    await cluster.stop();
    throw err;
  }
  Object.assign(globalThis, { temporalCluster: cluster, servicesPostgres: services });
  process.env.TEMPORAL_ADDRESS = cluster.address;
  process.env.TEST_REPLICAS = JSON.stringify(CLUSTER_REPLICAS satisfies Replicas);
}
