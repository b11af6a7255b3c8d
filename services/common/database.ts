import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { DatabaseStartError } from './database-errors';
import { migrate, type Dialect, type Migratable, type Migration, type Schema } from './migrations';

export type { Dialect, Migration, Schema };

/** Where a service keeps its data: PostgreSQL when its URL is set, otherwise its SQLite file. */
export interface DatabaseSettings {
  /** The variable the URL comes from, named in every start-up failure. */
  urlVariable: string;
  url: string | undefined;
  sqliteFile: string;
  /** Most PostgreSQL connections this process opens. */
  poolMax: number;
}

const HEALTH_CHECK_INTERVAL_MS = 1000;

/** A service's open database: the query builder, its dialect, write transactions, and whether it answers. */
export class ServiceDatabase<Tables> {
  private reachable = true;
  private checking: Promise<boolean> | undefined;
  private readonly healthCheck: NodeJS.Timeout;

  constructor(
    readonly db: Kysely<Tables>,
    readonly dialect: Dialect,
  ) {
    this.healthCheck = setInterval(() => void this.checkReachable(), HEALTH_CHECK_INTERVAL_MS).unref();
  }

  /**
   * Runs `work` in one transaction that holds the write lock from its first statement, so a
   * read-then-write cannot interleave with another process: BEGIN IMMEDIATE on SQLite (whose
   * busy timeout waits for the lock), an ordinary transaction on PostgreSQL, where the
   * statements take their own row locks.
   */
  async writeTransaction<T>(work: (trx: Kysely<Tables>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.db.transaction().execute(work);
    return this.db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (err) {
        await sql`rollback`.execute(connection);
        throw err;
      }
    });
  }

  /** Whether the last health check reached the database; asked by the worker's /readyz. */
  isReachable(): boolean {
    return this.reachable;
  }

  /** Asks the database for `select 1` and remembers whether it answered; one check at a time. */
  checkReachable(): Promise<boolean> {
    this.checking ??= sql`select 1`
      .execute(this.db)
      .then(
        () => true,
        () => false,
      )
      .then((reachable) => {
        this.reachable = reachable;
        this.checking = undefined;
        return reachable;
      });
    return this.checking;
  }

  /** Closes the connections; a failure to close is logged, since the process is stopping anyway. */
  async close(): Promise<void> {
    clearInterval(this.healthCheck);
    await this.db.destroy().catch((err: Error) => console.error(`closing the database failed: ${err.message}`));
  }
}

/**
 * Opens a service's database and brings its schema up to date. Fails with a DatabaseStartError,
 * one line that names the URL's variable, when the URL is malformed, the database unreachable,
 * or its schema newer than `schema` knows.
 */
export async function openDatabase<Tables>(settings: DatabaseSettings, schema: Schema): Promise<ServiceDatabase<Tables>> {
  const where = settings.url === undefined ? settings.sqliteFile : settings.urlVariable;
  let database: ServiceDatabase<Tables> | undefined;
  try {
    database = settings.url === undefined ? openSqlite<Tables>(settings.sqliteFile) : openPostgres<Tables>(settings);
    await migrate(database as unknown as Migratable, schema, where);
    return database;
  } catch (err) {
    await database?.close();
    if (err instanceof DatabaseStartError) throw err;
    const at = settings.url === undefined ? where : `${where} (${hostOf(settings.url)})`;
    throw new DatabaseStartError(`cannot open the database at ${at}: ${(err as Error).message}`);
  }
}

/**
 * WAL lets readers run beside the writer; the busy timeout lets several processes of one service
 * (replicas, a pod and its replacement) share the file, each waiting its turn for the write lock.
 */
function openSqlite<Tables>(file: string): ServiceDatabase<Tables> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new ServiceDatabase(new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) }), 'sqlite');
}

function openPostgres<Tables>({ url, urlVariable, poolMax }: DatabaseSettings): ServiceDatabase<Tables> {
  if (!/^postgres(ql)?:\/\/[^/]+/.test(url!) || !URL.canParse(url!)) {
    throw new DatabaseStartError(`${urlVariable} must be a URL such as postgres://user:password@host:5432/database, got "${redact(url!)}"`);
  }
  // A connection attempt gives up after 3s, so an activity fails (and is retried) instead of hanging while the database is down.
  const pool = new Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: 3000 });
  // A connection the server drops emits 'error', idle in the pool or held by a transaction; unhandled, it would end the process.
  const lost = (err: Error) => console.error(`${urlVariable}: a database connection was lost: ${err.message}`);
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  return new ServiceDatabase(new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
}

const hostOf = (url: string): string => new URL(url).host;

/** The URL without its password, fit for a log line. */
const redact = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
