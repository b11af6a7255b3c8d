import { ApplicationFailure } from '@temporalio/activity';
import { BusinessErrors } from '../../workflows/errors';
import type { Product } from '../common/catalog';
import { nowIso, openDatabase, type Db } from '../common/database';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS products (
  sku TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  price_cents INTEGER NOT NULL,
  stock INTEGER NOT NULL CHECK (stock >= 0),
  -- The level a restock brings the product back to.
  target_stock INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reservations (
  order_id TEXT NOT NULL,
  sku TEXT NOT NULL REFERENCES products (sku),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  status TEXT NOT NULL CHECK (status IN ('reserved', 'committed', 'released')),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (order_id, sku)
);
`;

export type ReservationStatus = 'reserved' | 'committed' | 'released';

export interface Reservation {
  orderId: string;
  sku: string;
  quantity: number;
  status: ReservationStatus;
}

export interface StockLine {
  sku: string;
  quantity: number;
}

export interface ProductStock {
  sku: string;
  stock: number;
  targetStock: number;
}

/** The inventory service's own data: stock per SKU and each order's reservations. */
export class InventoryStore {
  readonly db: Db;

  constructor(file: string, seed: readonly Product[]) {
    this.db = openDatabase(file, SCHEMA);
    const insert = this.db.prepare('INSERT OR IGNORE INTO products (sku, name, price_cents, stock, target_stock) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => seed.forEach((p) => insert.run(p.sku, p.name, p.priceCents, p.initialStock, p.initialStock)))();
  }

  /**
   * Takes the order's lines out of stock, all or nothing. An order that already holds a
   * reservation gets it back unchanged, so a retried call reserves once.
   */
  reserve(orderId: string, lines: StockLine[]): Reservation[] {
    return this.db.transaction(() => {
      const existing = this.reservations(orderId);
      if (existing.length > 0) return existing;
      for (const line of lines) {
        const product = this.db.prepare('SELECT stock FROM products WHERE sku = ?').get(line.sku) as { stock: number } | undefined;
        if (!product) {
          throw ApplicationFailure.create({ type: BusinessErrors.UnknownSku, message: `unknown SKU ${line.sku}`, nonRetryable: true });
        }
        if (product.stock < line.quantity) {
          throw ApplicationFailure.create({
            type: BusinessErrors.OutOfStock,
            message: `only ${product.stock} of ${line.sku} left, ${line.quantity} wanted`,
            nonRetryable: true,
          });
        }
        this.db.prepare('UPDATE products SET stock = stock - ? WHERE sku = ?').run(line.quantity, line.sku);
        this.db
          .prepare('INSERT INTO reservations (order_id, sku, quantity, status, updated_at) VALUES (?, ?, ?, ?, ?)')
          .run(orderId, line.sku, line.quantity, 'reserved', nowIso());
      }
      return this.reservations(orderId);
    })();
  }

  /** Marks the order's reserved stock as gone for good (it left the warehouse). */
  commit(orderId: string): Reservation[] {
    this.db
      .prepare(`UPDATE reservations SET status = 'committed', updated_at = ? WHERE order_id = ? AND status = 'reserved'`)
      .run(nowIso(), orderId);
    return this.reservations(orderId);
  }

  /** Puts the order's reserved stock back. Releasing twice, or releasing nothing, is a no-op. */
  release(orderId: string): Reservation[] {
    return this.db.transaction(() => {
      for (const r of this.reservations(orderId).filter((r) => r.status === 'reserved')) {
        this.db.prepare('UPDATE products SET stock = stock + ? WHERE sku = ?').run(r.quantity, r.sku);
        this.db
          .prepare(`UPDATE reservations SET status = 'released', updated_at = ? WHERE order_id = ? AND sku = ?`)
          .run(nowIso(), orderId, r.sku);
      }
      return this.reservations(orderId);
    })();
  }

  /** Brings every product below `share` of its target level back to the target. Returns what was restocked. */
  restock(share: number): { sku: string; added: number }[] {
    return this.db.transaction(() => {
      const low = this.db
        .prepare('SELECT sku, target_stock - stock AS added FROM products WHERE stock < target_stock * ? ORDER BY sku')
        .all(share) as { sku: string; added: number }[];
      this.db.prepare('UPDATE products SET stock = target_stock WHERE stock < target_stock * ?').run(share);
      return low;
    })();
  }

  reservations(orderId: string): Reservation[] {
    return this.db
      .prepare('SELECT order_id AS orderId, sku, quantity, status FROM reservations WHERE order_id = ? ORDER BY sku')
      .all(orderId) as Reservation[];
  }

  /** Every product's stock right now. */
  stockLevels(): StockLine[] {
    return this.db.prepare('SELECT sku, stock AS quantity FROM products ORDER BY sku').all() as StockLine[];
  }

  stock(sku: string): number | undefined {
    return (this.db.prepare('SELECT stock FROM products WHERE sku = ?').get(sku) as { stock: number } | undefined)?.stock;
  }

  /** Every order that holds, or held, a reservation. */
  orderIds(): string[] {
    return this.db.prepare('SELECT DISTINCT order_id FROM reservations ORDER BY order_id').pluck().all() as string[];
  }

  /** Every product's stock and the level a restock brings it back to. */
  products(): ProductStock[] {
    return this.db.prepare('SELECT sku, stock, target_stock AS targetStock FROM products ORDER BY sku').all() as ProductStock[];
  }

  close(): void {
    this.db.close();
  }
}
