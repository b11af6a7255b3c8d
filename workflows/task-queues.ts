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
