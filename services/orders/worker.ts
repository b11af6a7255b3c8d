import { startServiceWorker } from '../common/worker-runner';
import { createOrdersActivities } from './activities';

// The orders worker runs OrderWorkflow. Its only activity is the local one that reads the
// order policy; every step of an order is an activity or child workflow on another service's queue.
startServiceWorker('orders', () => ({ runsWorkflows: true, activities: createOrdersActivities() }));
