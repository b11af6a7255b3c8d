import { ApplicationFailure } from '@temporalio/activity';
import { sql, type Kysely } from 'kysely';
import { BusinessErrors } from '../../workflows/errors';
import type { Product } from '../common/catalog';
import type { Schema, ServiceDatabase } from '../common/database';
import { nowIso } from '../common/time';

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

export interface InventoryTables {
  products: { sku: string; name: string; price_cents: number; stock: number; target_stock: number };
  reservations: { order_id: string; sku: string; quantity: number; status: ReservationStatus; updated_at: string };
}

export type InventoryDatabase = ServiceDatabase<InventoryTables>;

/** The inventory database's schema, version by version. */
export const inventorySchema: Schema = {
  service: 'inventory',
  migrations: [
    {
      version: 1,
      name: 'products and reservations',
      async up(db) {
        await db.schema
          .createTable('products')
          .ifNotExists()
          .addColumn('sku', 'text', (col) => col.primaryKey())
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('price_cents', 'integer', (col) => col.notNull())
          .addColumn('stock', 'integer', (col) => col.notNull().check(sql`stock >= 0`))
          // The level a restock brings the product back to.
          .addColumn('target_stock', 'integer', (col) => col.notNull())
          .execute();
        await db.schema
          .createTable('reservations')
          .ifNotExists()
          .addColumn('order_id', 'text', (col) => col.notNull())
          .addColumn('sku', 'text', (col) => col.notNull().references('products.sku'))
          .addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity > 0`))
          .addColumn('status', 'text', (col) => col.notNull().check(sql`status IN ('reserved', 'committed', 'released')`))
          .addColumn('updated_at', 'text', (col) => col.notNull())
          // The database, not the code, makes an order reserve each product once.
          .addPrimaryKeyConstraint('reservations_once', ['order_id', 'sku'])
          .execute();
      },
    },
  ],
};

/** Thrown inside a reservation's transaction when another call holds the order's reservation: it rolls back. */
class ReservedElsewhere extends Error {}

/** The inventory service's own data: stock per SKU and each order's reservations. */
export class InventoryStore {
  constructor(readonly database: InventoryDatabase) {}

  private get db() {
    return this.database.db;
  }

  /** Adds the catalog's products that the store does not have yet, at their initial stock. */
  async addMissingProducts(seed: readonly Product[]): Promise<void> {
    if (seed.length === 0) return;
    await this.db
      .insertInto('products')
      .values(
        seed.map((p) => ({ sku: p.sku, name: p.name, price_cents: p.priceCents, stock: p.initialStock, target_stock: p.initialStock })),
      )
      .onConflict((oc) => oc.column('sku').doNothing())
      .execute();
  }

  /**
   * Takes the order's lines out of stock, all or nothing. An order that already holds a
   * reservation gets it back unchanged, so a retried call, or one racing it on another replica,
   * reserves once: the reservations' primary key lets only one of them in.
   */
  async reserve(orderId: string, lines: StockLine[]): Promise<Reservation[]> {
    try {
      return await this.database.writeTransaction(async (trx) => {
        const existing = await reservationsOf(trx, orderId);
        if (existing.length > 0) return existing;
        // In SKU order, so two transactions lock the same products in the same order.
        for (const line of [...lines].sort((a, b) => a.sku.localeCompare(b.sku))) await takeLine(trx, orderId, line);
        return reservationsOf(trx, orderId);
      });
    } catch (err) {
      if (!(err instanceof ReservedElsewhere)) throw err;
      const existing = await this.reservations(orderId);
      if (existing.length === 0) throw new Error(`order ${orderId} lists a SKU twice`);
      return existing;
    }
  }

  /** Marks the order's reserved stock as gone for good (it left the warehouse). */
  async commit(orderId: string): Promise<Reservation[]> {
    await this.db
      .updateTable('reservations')
      .set({ status: 'committed', updated_at: nowIso() })
      .where('order_id', '=', orderId)
      .where('status', '=', 'reserved')
      .execute();
    return this.reservations(orderId);
  }

  /** Puts the order's reserved stock back. Releasing twice, or releasing nothing, is a no-op. */
  async release(orderId: string): Promise<Reservation[]> {
    return this.database.writeTransaction(async (trx) => {
      for (const r of (await reservationsOf(trx, orderId)).filter((r) => r.status === 'reserved')) {
        // Only the call that moves the line from reserved to released puts its stock back.
        const released = await trx
          .updateTable('reservations')
          .set({ status: 'released', updated_at: nowIso() })
          .where('order_id', '=', orderId)
          .where('sku', '=', r.sku)
          .where('status', '=', 'reserved')
          .executeTakeFirst();
        if (Number(released.numUpdatedRows) > 0)
          await trx
            .updateTable('products')
            .set((eb) => ({ stock: eb('stock', '+', r.quantity) }))
            .where('sku', '=', r.sku)
            .execute();
      }
      return reservationsOf(trx, orderId);
    });
  }

  /** Brings every product below `share` of its target level back to the target. Returns what was restocked. */
  async restock(share: number): Promise<{ sku: string; added: number }[]> {
    return this.database.writeTransaction(async (trx) => {
      const low = await trx
        .selectFrom('products')
        .select(['sku', 'stock', 'target_stock'])
        .where((eb) => eb('stock', '<', eb('target_stock', '*', eb.cast<number>(eb.val(share), 'real'))))
        .orderBy('sku')
        .execute();
      const restocked: { sku: string; added: number }[] = [];
      for (const product of low) {
        // Only if no reservation moved the stock since it was read.
        const topped = await trx
          .updateTable('products')
          .set((eb) => ({ stock: eb.ref('target_stock') }))
          .where('sku', '=', product.sku)
          .where('stock', '=', product.stock)
          .executeTakeFirst();
        if (Number(topped.numUpdatedRows) > 0) restocked.push({ sku: product.sku, added: product.target_stock - product.stock });
      }
      return restocked;
    });
  }

  async reservations(orderId: string): Promise<Reservation[]> {
    return reservationsOf(this.db, orderId);
  }

  /** Every product's stock right now. */
  async stockLevels(): Promise<StockLine[]> {
    return this.db.selectFrom('products').select(['sku', 'stock as quantity']).orderBy('sku').execute();
  }

  async stock(sku: string): Promise<number | undefined> {
    return (await this.db.selectFrom('products').select('stock').where('sku', '=', sku).executeTakeFirst())?.stock;
  }

  /** Every order that holds, or held, a reservation. */
  async orderIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('reservations').select('order_id').distinct().orderBy('order_id').execute();
    return rows.map((row) => row.order_id);
  }

  /** Every product's stock and the level a restock brings it back to. */
  async products(): Promise<ProductStock[]> {
    return this.db.selectFrom('products').select(['sku', 'stock', 'target_stock as targetStock']).orderBy('sku').execute();
  }

  close(): Promise<void> {
    return this.database.close();
  }
}

const reservationsOf = (db: Kysely<InventoryTables>, orderId: string): Promise<Reservation[]> =>
  db
    .selectFrom('reservations')
    .select(['order_id as orderId', 'sku', 'quantity', 'status'])
    .where('order_id', '=', orderId)
    .orderBy('sku')
    .execute();

/** Reserves one line: its row first (the key that makes the order reserve once), then the stock, only if enough is left. */
async function takeLine(trx: Kysely<InventoryTables>, orderId: string, line: StockLine): Promise<void> {
  const product = await trx.selectFrom('products').select('stock').where('sku', '=', line.sku).executeTakeFirst();
  if (!product) {
    throw ApplicationFailure.create({ type: BusinessErrors.UnknownSku, message: `unknown SKU ${line.sku}`, nonRetryable: true });
  }
  const inserted = await trx
    .insertInto('reservations')
    .values({ order_id: orderId, sku: line.sku, quantity: line.quantity, status: 'reserved', updated_at: nowIso() })
    .onConflict((oc) => oc.columns(['order_id', 'sku']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new ReservedElsewhere();
  const taken = await trx
    .updateTable('products')
    .set((eb) => ({ stock: eb('stock', '-', line.quantity) }))
    .where('sku', '=', line.sku)
    .where('stock', '>=', line.quantity)
    .returning('stock')
    .executeTakeFirst();
  if (!taken) {
    const left = await trx.selectFrom('products').select('stock').where('sku', '=', line.sku).executeTakeFirstOrThrow();
    throw ApplicationFailure.create({
      type: BusinessErrors.OutOfStock,
      message: `only ${left.stock} of ${line.sku} left, ${line.quantity} wanted`,
      nonRetryable: true,
    });
  }
}
