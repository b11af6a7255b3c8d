import Database from 'better-sqlite3';

/**
 * Stock per SKU, read from the inventory service's store, read-only.
 *
 * Why a read-only open and not a call through Temporal: the inventory service has no read
 * operation to call yet (no activity, no query), and a workflow per catalog view would be heavy.
 * Opening the file couples the API to the inventory's table, so it is confined to this one
 * function. It works where the API and the inventory worker share DATA_DIR (npm start, the
 * tests); where they do not (compose, k8s) the file is absent and stock is reported as unknown.
 */
export function readStockLevels(dbPath: string | undefined): Map<string, number> | undefined {
  if (!dbPath) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 1000');
    const rows = db.prepare('SELECT sku, stock FROM products').all() as { sku: string; stock: number }[];
    return new Map(rows.map((row) => [row.sku, row.stock]));
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}
