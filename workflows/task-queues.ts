/** Every task queue in the system. Each service's worker polls exactly one of them. */
export const TaskQueues = {
  orders: 'orders',
  payment: 'payment',
  inventory: 'inventory',
  shipping: 'shipping',
  email: 'email',
  /** The fraud service, in Python (services/fraud). */
  fraud: 'fraud',
} as const;

export type ServiceName = keyof typeof TaskQueues;
export type TaskQueue = (typeof TaskQueues)[ServiceName];

/** Every service that runs a worker, one per task queue, in the order above. */
export const SERVICES = Object.keys(TaskQueues) as ServiceName[];

/**
 * How long a workflow task of an order or a shipment may take, given to each at its start. The
 * work takes milliseconds; this is how long an order waits when the worker that took its task
 * dies before completing it, until another worker takes it over. Temporal's default is 10s.
 */
export const WORKFLOW_TASK_TIMEOUT = '3s';
