/** The bare benchmark's task queues: one per service, as in the real system, under names of their own so it can share a server with it. */
export const BareTaskQueues = {
  orders: 'bare-orders',
  payment: 'bare-payment',
  inventory: 'bare-inventory',
  fraud: 'bare-fraud',
  shipping: 'bare-shipping',
  email: 'bare-email',
} as const;

export type BareService = keyof typeof BareTaskQueues;
