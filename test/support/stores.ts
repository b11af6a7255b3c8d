import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Read-only views of the services' own stores, to check what each service actually did,
 * not only what the workflow says.
 */
export class Stores {
  constructor(private readonly dataDir: string) {}

  private query<T>(service: string, sql: string, ...params: unknown[]): T[] {
    const db = new Database(path.join(this.dataDir, `${service}.db`), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }

  /** The payment ledger's movements for an order, oldest first. */
  ledger(orderId: string): { movement: string; amountCents: number }[] {
    return this.query('payment', 'SELECT movement, amount_cents AS amountCents FROM ledger WHERE order_id = ? ORDER BY id', orderId);
  }

  reservations(orderId: string): { sku: string; quantity: number; status: string }[] {
    return this.query('inventory', 'SELECT sku, quantity, status FROM reservations WHERE order_id = ? ORDER BY sku', orderId);
  }

  stock(sku: string): number {
    return this.query<{ stock: number }>('inventory', 'SELECT stock FROM products WHERE sku = ?', sku)[0].stock;
  }

  shipments(orderId: string): { status: string }[] {
    return this.query('shipping', 'SELECT status FROM shipments WHERE order_id = ?', orderId);
  }

  emails(orderId: string): { template: string }[] {
    return this.query('email', 'SELECT template FROM sent_emails WHERE order_id = ? ORDER BY sent_at', orderId);
  }
}
