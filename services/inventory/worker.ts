import { inventoryConfig } from '../common/config';
import { startServiceWorker } from '../common/worker-runner';
import { createInventoryActivities } from './activities';
import { catalog } from './catalog';
import { InventoryStore } from './store';

const store = new InventoryStore(inventoryConfig().dbPath, catalog);

startServiceWorker({
  service: 'inventory',
  activities: createInventoryActivities(store),
  onStopped: () => store.close(),
});
