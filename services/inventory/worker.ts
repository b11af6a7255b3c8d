import { catalog } from '../common/catalog';
import { inventoryConfig } from '../common/config';
import { startServiceWorker } from '../common/worker-runner';
import { createInventoryActivities } from './activities';
import { ensureRestockSchedule } from './schedule';
import { InventoryStore } from './store';

const store = new InventoryStore(inventoryConfig().dbPath, catalog);

// The inventory worker runs the stock activities and the nightly RestockWorkflow, whose schedule it creates.
startServiceWorker({
  service: 'inventory',
  activities: createInventoryActivities(store),
  runsWorkflows: true,
  beforeStart: ensureRestockSchedule,
  onStopped: () => store.close(),
});
