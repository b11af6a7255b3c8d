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
      const reservations = await store.reserve(orderId, lines);
      log.info('stock reserved', { orderId, lines: reservations.length });
      return reservations;
    },

    async commitStock({ orderId }: Pick<StockRequest, 'orderId'>): Promise<Reservation[]> {
      return store.commit(orderId);
    },

    /** The stock of every product, for the shop's catalog. */
    async listStock(): Promise<StockLine[]> {
      return store.stockLevels();
    },

    /** Tops up every product that has fallen below a fifth of its usual stock. */
    async restockLowStock(): Promise<{ sku: string; added: number }[]> {
      const restocked = await store.restock(0.2);
      log.info('restocked', { products: restocked.length });
      return restocked;
    },

    async releaseStock({ orderId }: Pick<StockRequest, 'orderId'>): Promise<Reservation[]> {
      const reservations = await store.release(orderId);
      log.info('stock released', { orderId });
      return reservations;
    },
  };
}

export type InventoryActivities = ReturnType<typeof createInventoryActivities>;
