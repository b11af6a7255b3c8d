import { shippingConfig } from '../common/config';
import { openDatabaseOrExit } from '../common/database-startup';
import { startServiceWorker } from '../common/worker-runner';
import { createShippingActivities } from './activities';
import { shippingSchema, ShippingStore, type ShippingTables } from './store';

async function main(): Promise<void> {
  const config = shippingConfig();
  const database = await openDatabaseOrExit<ShippingTables>(config.database, shippingSchema);
  const store = new ShippingStore(database);

  // The shipping worker runs ShipmentWorkflow (a child of each order) and its activities.
  startServiceWorker({
    service: 'shipping',
    activities: createShippingActivities(store, config),
    runsWorkflows: true,
    isHealthy: () => database.isReachable(),
    onStopped: () => void store.close(),
  });
}

void main();
