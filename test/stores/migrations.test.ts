import { spawn } from 'node:child_process';
import SqliteDatabase from 'better-sqlite3';
import { freePort } from '../../scripts/lib/dev-server';
import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres';
import { openDatabase, type DatabaseSettings, type Dialect } from '../../services/common/database';
import { DatabaseStartError } from '../../services/common/database-errors';
import { projectRoot } from '../../services/common/paths';
import { paymentSchema, PaymentStore, type PaymentTables } from '../../services/payment/store';
import { databaseSettings } from '../support/databases';
import { raceInProcesses } from './replicas';

let postgres: PostgresServer;
let databases = 0;

beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(() => postgres?.destroy());

async function freshDatabase(dialect: Dialect): Promise<DatabaseSettings> {
  if (dialect === 'sqlite') return databaseSettings();
  databases += 1;
  return databaseSettings(await postgres.createDatabase(`migrations_${databases}`, { name: 'payment', password: 'payment-secret' }));
}

async function appliedMigrations(settings: DatabaseSettings): Promise<{ service: string; version: number }[]> {
  const database = await openDatabase<{ schema_migrations: { service: string; version: number } }>(settings, paymentSchema);
  const rows = await database.db.selectFrom('schema_migrations').select(['service', 'version']).orderBy('version').execute();
  await database.close();
  return rows;
}

/** Marks the database as migrated by a later release than this one. */
async function migrateToTheFuture(settings: DatabaseSettings): Promise<void> {
  const database = await openDatabase<{ schema_migrations: { service: string; version: number; name: string; applied_at: string } }>(
    settings,
    paymentSchema,
  );
  await database.db
    .insertInto('schema_migrations')
    .values({ service: 'payment', version: 2, name: 'from a later release', applied_at: new Date().toISOString() })
    .execute();
  await database.close();
}

/** Starts the compiled payment worker and resolves with its exit code and what it wrote to stderr. */
function runPaymentWorker(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/services/payment/worker.js'], {
      cwd: projectRoot,
      env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe.each<Dialect>(['sqlite', 'postgres'])('migrations on %s', (dialect) => {
  test('five replicas opening a fresh database at once apply each migration once', async () => {
    const settings = await freshDatabase(dialect);
    const opened = await raceInProcesses(
      'payment',
      settings,
      Array.from({ length: 5 }, () => ({ method: 'orderIds', args: [] })),
    );
    expect(opened).toEqual([[], [], [], [], []]);
    expect(await appliedMigrations(settings)).toEqual([{ service: 'payment', version: 1 }]);
  });

  test('a schema newer than the store knows is refused with one line that says so', async () => {
    const settings = await freshDatabase(dialect);
    await migrateToTheFuture(settings);
    const opening = openDatabase(settings, paymentSchema);
    await expect(opening).rejects.toBeInstanceOf(DatabaseStartError);
    await expect(opening).rejects.toThrow(
      /^\S+: the payment database schema is at version 2, newer than this worker knows \(1\); deploy the newer worker$/,
    );
  });
});

test('five stores opening a fresh PostgreSQL database at once in one process apply each migration once', async () => {
  const settings = await freshDatabase('postgres');
  const stores = await Promise.all(
    Array.from({ length: 5 }, async () => new PaymentStore(await openDatabase<PaymentTables>(settings, paymentSchema))),
  );
  await Promise.all(stores.map((store) => store.close()));
  expect(await appliedMigrations(settings)).toEqual([{ service: 'payment', version: 1 }]);
});

test('a SQLite file made before migrations existed is adopted at version 1 with its rows', async () => {
  const settings = databaseSettings();
  const old = new SqliteDatabase(settings.sqliteFile);
  old.exec(`CREATE TABLE charges (idempotency_key TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount_cents INTEGER NOT NULL, status TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE ledger (id INTEGER PRIMARY KEY AUTOINCREMENT, idempotency_key TEXT NOT NULL, order_id TEXT NOT NULL, movement TEXT NOT NULL,
      amount_cents INTEGER NOT NULL, gateway_reference TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (idempotency_key, movement));
    INSERT INTO ledger (idempotency_key, order_id, movement, amount_cents, gateway_reference, created_at) VALUES ('charge-o-1', 'o-1', 'authorize', 2500, 'aut', '2026-01-01');`);
  old.close();

  const store = new PaymentStore(await openDatabase<PaymentTables>(settings, paymentSchema));
  expect((await store.ledger('o-1')).map((entry) => entry.movement)).toEqual(['authorize']);
  await store.close();
  expect(await appliedMigrations(settings)).toEqual([{ service: 'payment', version: 1 }]);
});

describe('a payment worker that cannot use its database exits at start with one line naming the variable', () => {
  test('a malformed URL', async () => {
    const { code, stderr } = await runPaymentWorker({ PAYMENT_DATABASE_URL: 'postgres//payment@nowhere' });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'payment worker: PAYMENT_DATABASE_URL must be a URL such as postgres://user:password@host:5432/database, got "postgres//payment@nowhere"\n',
    );
  });

  test('an unreachable database, without printing its password', async () => {
    const port = await freePort();
    const { code, stderr } = await runPaymentWorker({ PAYMENT_DATABASE_URL: `postgres://payment:hunter2@127.0.0.1:${port}/payment` });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^payment worker: cannot open the database at PAYMENT_DATABASE_URL \\(127\\.0\\.0\\.1:${port}\\): .*ECONNREFUSED.*\\n$`),
    );
    expect(stderr).not.toContain('hunter2');
  });

  test('a schema newer than the worker knows', async () => {
    const settings = await freshDatabase('postgres');
    await migrateToTheFuture(settings);
    const { code, stderr } = await runPaymentWorker({ PAYMENT_DATABASE_URL: settings.url });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'payment worker: PAYMENT_DATABASE_URL: the payment database schema is at version 2, newer than this worker knows (1); deploy the newer worker\n',
    );
  });
});
