import { sql, type Kysely } from 'kysely';
import { DatabaseStartError } from './database-errors';
import { nowIso } from './time';

export type Dialect = 'sqlite' | 'postgres';

/** What the migrations need of a service's database (services/common/database.ts). */
export interface Migratable {
  db: Kysely<unknown>;
  dialect: Dialect;
  writeTransaction<T>(work: (trx: Kysely<unknown>) => Promise<T>): Promise<T>;
}

/** One versioned change to a service's schema; versions count up from 1. */
export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** A service's schema: its migrations, recorded under the service's name. */
export interface Schema {
  service: string;
  migrations: readonly Migration[];
}

interface MigrationTables {
  schema_migrations: { service: string; version: number; name: string; applied_at: string };
}

// Serialises every migration run on one PostgreSQL database, whichever service it is for.
const MIGRATION_LOCK_KEY = 7233;

/**
 * Applies the migrations the database has not had yet, in one transaction behind the database's
 * own lock (an advisory lock on PostgreSQL, the write lock on SQLite), so replicas starting
 * together apply each one once. A schema newer than the last migration is refused.
 */
export async function migrate(database: Migratable, { service, migrations }: Schema, where: string): Promise<void> {
  const latest = migrations[migrations.length - 1].version;
  const refuseNewer = (current: number) => {
    if (current > latest) {
      throw new DatabaseStartError(
        `${where}: the ${service} database schema is at version ${current}, newer than this worker knows (${latest}); deploy the newer worker`,
      );
    }
  };
  // Without the lock first: a database already up to date is the usual case at start.
  const seen = await appliedVersion(database.db, service).catch(() => 0);
  refuseNewer(seen);
  if (seen === latest) return;

  await database.writeTransaction(async (trx) => {
    if (database.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
    await trx.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('service', 'text', (col) => col.notNull())
      .addColumn('version', 'integer', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('applied_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('schema_migrations_once', ['service', 'version'])
      .execute();
    const current = await appliedVersion(trx, service);
    refuseNewer(current);
    const versions = trx as unknown as Kysely<MigrationTables>;
    for (const migration of migrations.filter((m) => m.version > current)) {
      await migration.up(trx, database.dialect);
      await versions
        .insertInto('schema_migrations')
        .values({ service, version: migration.version, name: migration.name, applied_at: nowIso() })
        .execute();
    }
  });
}

/** The highest migration version of `service` the database has had; 0 for none. */
export async function appliedVersion(db: Kysely<unknown>, service: string): Promise<number> {
  const row = await (db as unknown as Kysely<MigrationTables>)
    .selectFrom('schema_migrations')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('service', '=', service)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}
