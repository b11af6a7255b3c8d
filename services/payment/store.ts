import { sql, type Generated } from 'kysely';
import type { Schema, ServiceDatabase } from '../common/database';
import { nowIso } from '../common/time';

export type Movement = 'authorize' | 'capture' | 'refund';
export type ChargeStatus = 'authorized' | 'captured' | 'refunded';

export interface Charge {
  idempotencyKey: string;
  orderId: string;
  amountCents: number;
  status: ChargeStatus;
}

export interface LedgerEntry {
  idempotencyKey: string;
  orderId: string;
  movement: Movement;
  amountCents: number;
  gatewayReference: string;
  createdAt: string;
}

/** The payment database's tables, the card gateway's included. */
export interface PaymentTables {
  charges: { idempotency_key: string; order_id: string; amount_cents: number; status: ChargeStatus; updated_at: string };
  ledger: {
    id: Generated<number>;
    idempotency_key: string;
    order_id: string;
    movement: Movement;
    amount_cents: number;
    gateway_reference: string;
    created_at: string;
  };
  gateway_operations: { idempotency_key: string; operation: string; reference: string; amount_cents: number; created_at: string };
}

export type PaymentDatabase = ServiceDatabase<PaymentTables>;

/** The payment database's schema, version by version. */
export const paymentSchema: Schema = {
  service: 'payment',
  migrations: [
    {
      version: 1,
      name: 'charges, ledger and the gateway operations',
      async up(db, dialect) {
        await db.schema
          .createTable('charges')
          .ifNotExists()
          .addColumn('idempotency_key', 'text', (col) => col.primaryKey())
          .addColumn('order_id', 'text', (col) => col.notNull())
          .addColumn('amount_cents', 'integer', (col) => col.notNull())
          .addColumn('status', 'text', (col) => col.notNull().check(sql`status IN ('authorized', 'captured', 'refunded')`))
          .addColumn('updated_at', 'text', (col) => col.notNull())
          .execute();
        await db.schema
          .createTable('ledger')
          .ifNotExists()
          .addColumn('id', 'integer', (col) =>
            dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedAlwaysAsIdentity(),
          )
          .addColumn('idempotency_key', 'text', (col) => col.notNull())
          .addColumn('order_id', 'text', (col) => col.notNull())
          .addColumn('movement', 'text', (col) => col.notNull().check(sql`movement IN ('authorize', 'capture', 'refund')`))
          .addColumn('amount_cents', 'integer', (col) => col.notNull())
          .addColumn('gateway_reference', 'text', (col) => col.notNull())
          .addColumn('created_at', 'text', (col) => col.notNull())
          // The database, not the code, makes each movement of a charge happen once.
          .addUniqueConstraint('ledger_movement_once', ['idempotency_key', 'movement'])
          .execute();
        await db.schema.createIndex('ledger_by_order').ifNotExists().on('ledger').column('order_id').execute();
        await db.schema
          .createTable('gateway_operations')
          .ifNotExists()
          .addColumn('idempotency_key', 'text', (col) => col.notNull())
          .addColumn('operation', 'text', (col) => col.notNull())
          .addColumn('reference', 'text', (col) => col.notNull())
          .addColumn('amount_cents', 'integer', (col) => col.notNull())
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addPrimaryKeyConstraint('gateway_operations_once', ['idempotency_key', 'operation'])
          .execute();
      },
    },
  ],
};

const STATUS_AFTER: Record<Movement, ChargeStatus> = {
  authorize: 'authorized',
  capture: 'captured',
  refund: 'refunded',
};

/** The payment service's own data: one row per charge and a ledger of every money movement. */
export class PaymentStore {
  constructor(readonly database: PaymentDatabase) {}

  private get db() {
    return this.database.db;
  }

  /** Records a movement once per idempotency key; recording it again, from any replica, changes nothing. */
  async record(entry: Omit<LedgerEntry, 'createdAt'>): Promise<Charge> {
    return this.database.writeTransaction(async (trx) => {
      const inserted = await trx
        .insertInto('ledger')
        .values({
          idempotency_key: entry.idempotencyKey,
          order_id: entry.orderId,
          movement: entry.movement,
          amount_cents: entry.amountCents,
          gateway_reference: entry.gatewayReference,
          created_at: nowIso(),
        })
        .onConflict((oc) => oc.columns(['idempotency_key', 'movement']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
        await trx
          .insertInto('charges')
          .values({
            idempotency_key: entry.idempotencyKey,
            order_id: entry.orderId,
            amount_cents: entry.amountCents,
            status: STATUS_AFTER[entry.movement],
            updated_at: nowIso(),
          })
          .onConflict((oc) =>
            oc
              .column('idempotency_key')
              .doUpdateSet((eb) => ({ status: eb.ref('excluded.status'), updated_at: eb.ref('excluded.updated_at') })),
          )
          .execute();
      }
      return (await chargeQuery(trx, entry.idempotencyKey).executeTakeFirst())!;
    });
  }

  async charge(idempotencyKey: string): Promise<Charge | undefined> {
    return chargeQuery(this.db, idempotencyKey).executeTakeFirst();
  }

  async ledger(orderId: string): Promise<LedgerEntry[]> {
    return this.db
      .selectFrom('ledger')
      .select([
        'idempotency_key as idempotencyKey',
        'order_id as orderId',
        'movement',
        'amount_cents as amountCents',
        'gateway_reference as gatewayReference',
        'created_at as createdAt',
      ])
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute();
  }

  /** Every order the ledger holds a movement of. */
  async orderIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('ledger').select('order_id').distinct().orderBy('order_id').execute();
    return rows.map((row) => row.order_id);
  }

  close(): Promise<void> {
    return this.database.close();
  }
}

const chargeQuery = (db: PaymentDatabase['db'], idempotencyKey: string) =>
  db
    .selectFrom('charges')
    .select(['idempotency_key as idempotencyKey', 'order_id as orderId', 'amount_cents as amountCents', 'status'])
    .where('idempotency_key', '=', idempotencyKey);
