import { catalog } from '../common/catalog';
import { inventoryConfig } from '../common/config';
import { openDatabase } from '../common/database';
import { startServiceWorker } from '../common/worker-runner';
import { createInventoryActivities } from './activities';
import { ensureRestockSchedule } from './schedule';
import { inventorySchema, InventoryStore, type InventoryTables } from './store';

// The inventory worker runs the stock activities and the nightly RestockWorkflow, whose schedule it creates.
startServiceWorker('inventory', async () => {
  const database = await openDatabase<InventoryTables>(inventoryConfig().database, inventorySchema);
  const store = new InventoryStore(database);
  await store.addMissingProducts(catalog);
  return {
    activities: createInventoryActivities(store),
    runsWorkflows: true,
    beforeStart: ensureRestockSchedule,
    isHealthy: () => database.isReachable(),
    onStopped: () => void store.close(),
  };
});
