/** Every task queue in the system. Each service's worker polls exactly one of them. */
export const TaskQueues = {
  orders: 'orders',
  payment: 'payment',
  inventory: 'inventory',
  shipping: 'shipping',
  email: 'email',
} as const;

export type ServiceName = keyof typeof TaskQueues;
export type TaskQueue = (typeof TaskQueues)[ServiceName];
