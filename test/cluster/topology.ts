import type { Replicas } from '../support/stack';

/** The cluster suite's replicas per service: the stores' services scale out; the orders worker runs two. */
export const CLUSTER_REPLICAS: Replicas = { payment: 3, inventory: 3, shipping: 3, email: 3, orders: 2 };
