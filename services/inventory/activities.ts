import { log } from '@temporalio/activity';
import type { InventoryStore, Reservation, StockLine } from './store';

export interface StockRequest {
  orderId: string;
  lines: StockLine[];
}

/** The inventory service's activities. Each one is idempotent per order. */
export function createInventoryActivities(store: InventoryStore) {
  return {
    /** Reserves every line or none. Out of stock fails for good (OutOfStock). */
    async reserveStock({ orderId, lines }: StockRequest): Promise<Reservation[]> {
      const reservations = store.reserve(orderId, lines);
      log.info('stock reserved', { orderId, lines: reservations.length });
      return reservations;
    },

    async commitStock({ orderId }: Pick<StockRequest, 'orderId'>): Promise<Reservation[]> {
      return store.commit(orderId);
    },

    async releaseStock({ orderId }: Pick<StockRequest, 'orderId'>): Promise<Reservation[]> {
      const reservations = store.release(orderId);
      log.info('stock released', { orderId });
      return reservations;
    },
  };
}

export type InventoryActivities = ReturnType<typeof createInventoryActivities>;
