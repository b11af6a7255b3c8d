import { shippingConfig } from '../common/config';
import { openDatabase } from '../common/database';
import { startServiceWorker } from '../common/worker-runner';
import { createShippingActivities } from './activities';
import { shippingSchema, ShippingStore, type ShippingTables } from './store';

// The shipping worker runs ShipmentWorkflow (a child of each order) and its activities.
startServiceWorker('shipping', async () => {
  const config = shippingConfig();
  const database = await openDatabase<ShippingTables>(config.database, shippingSchema);
  const store = new ShippingStore(database);
  return {
    activities: createShippingActivities(store, config),
    runsWorkflows: true,
    isHealthy: () => database.isReachable(),
    onStopped: () => void store.close(),
  };
});
