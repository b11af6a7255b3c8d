import { orderPolicyConfig } from '../common/config';
import type { OrderPolicy } from '../../workflows/types';

/** The orders service's activities: it owns the business rules every order follows. */
export function createOrdersActivities() {
  return {
    /** The current order policy, read from the environment. Run as a local activity, so it is recorded in each order's history once. */
    async getOrderPolicy(): Promise<OrderPolicy> {
      return orderPolicyConfig();
    },
  };
}

export type OrdersActivities = ReturnType<typeof createOrdersActivities>;
