import { catalog } from '../common/catalog';
import { inventoryConfig } from '../common/config';
import { openDatabaseOrExit } from '../common/database-startup';
import { startServiceWorker } from '../common/worker-runner';
import { createInventoryActivities } from './activities';
import { ensureRestockSchedule } from './schedule';
import { inventorySchema, InventoryStore, type InventoryTables } from './store';

async function main(): Promise<void> {
  const database = await openDatabaseOrExit<InventoryTables>(inventoryConfig().database, inventorySchema);
  const store = new InventoryStore(database);
  await store.addMissingProducts(catalog);

  // The inventory worker runs the stock activities and the nightly RestockWorkflow, whose schedule it creates.
  startServiceWorker({
    service: 'inventory',
    activities: createInventoryActivities(store),
    runsWorkflows: true,
    beforeStart: ensureRestockSchedule,
    isHealthy: () => database.isReachable(),
    onStopped: () => void store.close(),
  });
}

void main();
