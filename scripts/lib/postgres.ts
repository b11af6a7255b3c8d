import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './dev-server';

const run = promisify(execFile);
const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postgres';

/** A PostgreSQL server of our own: a data folder, a port on loopback, superuser `postgres`. */
export interface PostgresServer {
  host: string;
  port: number;
  /** A connection URL for `database`, as `user` (the superuser unless given). */
  url(database?: string, user?: { name: string; password: string }): string;
  /** Runs SQL as the superuser, in `database` (postgres by default), and returns psql's output. */
  sql(statement: string, database?: string): Promise<string>;
  /** Creates a user and a database it owns, unless they exist, and returns the user's URL for it. */
  createDatabase(database: string, user: { name: string; password: string }): Promise<string>;
  /** Stops the server: 'fast' as a clean shutdown does, 'immediate' as a crash would. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same data folder and port. */
  start(): Promise<void>;
  /** Stops it and deletes its data folder. */
  destroy(): Promise<void>;
}

/** Where Debian (or PG_BINDIR) keeps initdb, pg_ctl and psql. */
function binDir(): string {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const debian = '/usr/lib/postgresql';
  const versions = fs.existsSync(debian) ? fs.readdirSync(debian).filter((v) => fs.existsSync(path.join(debian, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0)
    throw new Error(
      'PostgreSQL is not installed: no initdb under /usr/lib/postgresql (apt-get install postgresql), and PG_BINDIR is not set',
    );
  return path.join(debian, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/**
 * Starts a throwaway PostgreSQL server for tests and benchmarks: a fresh data folder and a free
 * port on 127.0.0.1. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orders-postgres-'));
  const host = '127.0.0.1';
  const port = await freePort();
  const pg = (tool: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    run(asRoot ? 'runuser' : path.join(bin, tool), asRoot ? ['-u', SUPERUSER, '--', path.join(bin, tool), ...args] : args, {
      env: { ...process.env, ...env },
      cwd: dataDir,
    });

  const pwFile = path.join(dataDir, 'pwfile');
  fs.writeFileSync(pwFile, SUPERUSER_PASSWORD);
  if (asRoot) await run('chown', ['-R', SUPERUSER, dataDir]);
  const cluster = path.join(dataDir, 'cluster');
  await pg('initdb', [
    '-D',
    cluster,
    '-U',
    SUPERUSER,
    '--pwfile',
    pwFile,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '--encoding=UTF8',
    '--no-sync',
  ]);

  const options = `-p ${port} -c listen_addresses=${host} -k ${dataDir} -c fsync=off -c max_connections=200`;
  const start = async () =>
    void (await pg('pg_ctl', ['-D', cluster, '-o', options, '-l', path.join(dataDir, 'server.log'), '-w', '-t', '60', 'start']));
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => void (await pg('pg_ctl', ['-D', cluster, '-m', mode, '-w', 'stop']));
  await start();

  const url = (database = 'postgres', user = { name: SUPERUSER, password: SUPERUSER_PASSWORD }) =>
    `postgres://${encodeURIComponent(user.name)}:${encodeURIComponent(user.password)}@${host}:${port}/${database}`;
  const sql = async (statement: string, database = 'postgres') =>
    (
      await pg(
        'psql',
        ['-h', host, '-p', String(port), '-U', SUPERUSER, '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', statement],
        { PGPASSWORD: SUPERUSER_PASSWORD },
      )
    ).stdout;
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

  return {
    host,
    port,
    url,
    sql,
    async createDatabase(database, user) {
      if (!(await sql(`SELECT 1 FROM pg_roles WHERE rolname = ${quote(user.name)}`)).trim()) {
        await sql(`CREATE ROLE "${user.name}" LOGIN PASSWORD ${quote(user.password)}`);
      }
      if (!(await sql(`SELECT 1 FROM pg_database WHERE datname = ${quote(database)}`)).trim()) {
        await sql(`CREATE DATABASE "${database}" OWNER "${user.name}"`);
      }
      return url(database, user);
    },
    stop,
    start,
    async destroy() {
      await stop('fast').catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
