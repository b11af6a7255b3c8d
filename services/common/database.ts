import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens (and creates, if needed) a service's SQLite file and applies its schema.
 * WAL lets the service's readers run beside its writer; the busy timeout lets two
 * processes of one service (a pod and its replacement) share the file briefly.
 */
export function openDatabase(file: string, schema: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(schema);
  return db;
}

/** The current time as stored in every table: ISO 8601, UTC. */
export const nowIso = (): string => new Date().toISOString();
