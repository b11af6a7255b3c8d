import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseSettings, type Schema, type ServiceDatabase } from '../../services/common/database';

/** Settings for a service's database: PostgreSQL at `url` when given, otherwise a SQLite file in a fresh folder. */
export function databaseSettings(url?: string, poolMax = 4): DatabaseSettings {
  return {
    urlVariable: 'TEST_DATABASE_URL',
    url,
    sqliteFile: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-')), 'service.db'),
    poolMax,
  };
}

/** Opens a service's database (see databaseSettings) with its schema up to date. */
export function openTestDatabase<Tables>(schema: Schema, url?: string): Promise<ServiceDatabase<Tables>> {
  return openDatabase<Tables>(databaseSettings(url), schema);
}
