import { startServiceWorker } from '../common/worker-runner';

// The orders worker runs OrderWorkflow only: it has no activities of its own. Every step of
// an order is an activity or child workflow on another service's task queue.
startServiceWorker({ service: 'orders', runsWorkflows: true });
