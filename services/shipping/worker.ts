import { shippingConfig } from '../common/config';
import { startServiceWorker } from '../common/worker-runner';
import { createShippingActivities } from './activities';
import { ShippingStore } from './store';

const config = shippingConfig();
const store = new ShippingStore(config.dbPath);

// The shipping worker runs ShipmentWorkflow (a child of each order) and its activities.
startServiceWorker({
  service: 'shipping',
  activities: createShippingActivities(store, config),
  runsWorkflows: true,
  onStopped: () => store.close(),
});
