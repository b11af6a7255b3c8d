import { nowIso, openDatabase, type Db } from '../common/database';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS charges (
  idempotency_key TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('authorized', 'captured', 'refunded')),
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key TEXT NOT NULL,
  order_id TEXT NOT NULL,
  movement TEXT NOT NULL CHECK (movement IN ('authorize', 'capture', 'refund')),
  amount_cents INTEGER NOT NULL,
  gateway_reference TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (idempotency_key, movement)
);
CREATE INDEX IF NOT EXISTS ledger_by_order ON ledger (order_id);
`;

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

const STATUS_AFTER: Record<Movement, ChargeStatus> = {
  authorize: 'authorized',
  capture: 'captured',
  refund: 'refunded',
};

/** The payment service's own data: one row per charge and a ledger of every money movement. */
export class PaymentStore {
  readonly db: Db;

  constructor(file: string) {
    this.db = openDatabase(file, SCHEMA);
  }

  /** Records a movement once per idempotency key; recording it again changes nothing. */
  record(entry: Omit<LedgerEntry, 'createdAt'>): Charge {
    const apply = this.db.transaction(() => {
      const inserted = this.db
        .prepare(
          `INSERT OR IGNORE INTO ledger (idempotency_key, order_id, movement, amount_cents, gateway_reference, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(entry.idempotencyKey, entry.orderId, entry.movement, entry.amountCents, entry.gatewayReference, nowIso());
      if (inserted.changes > 0) {
        this.db
          .prepare(
            `INSERT INTO charges (idempotency_key, order_id, amount_cents, status, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (idempotency_key) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
          )
          .run(entry.idempotencyKey, entry.orderId, entry.amountCents, STATUS_AFTER[entry.movement], nowIso());
      }
      return this.charge(entry.idempotencyKey)!;
    });
    return apply();
  }

  charge(idempotencyKey: string): Charge | undefined {
    return this.db
      .prepare(
        `SELECT idempotency_key AS idempotencyKey, order_id AS orderId, amount_cents AS amountCents, status
         FROM charges WHERE idempotency_key = ?`,
      )
      .get(idempotencyKey) as Charge | undefined;
  }

  ledger(orderId: string): LedgerEntry[] {
    return this.db
      .prepare(
        `SELECT idempotency_key AS idempotencyKey, order_id AS orderId, movement, amount_cents AS amountCents,
                gateway_reference AS gatewayReference, created_at AS createdAt
         FROM ledger WHERE order_id = ? ORDER BY id`,
      )
      .all(orderId) as LedgerEntry[];
  }

  /** Every order the ledger holds a movement of. */
  orderIds(): string[] {
    return this.db.prepare('SELECT DISTINCT order_id FROM ledger ORDER BY order_id').pluck().all() as string[];
  }

  close(): void {
    this.db.close();
  }
}
