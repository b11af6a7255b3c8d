import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseSettings, type Migration, type ServiceDatabase } from '../../services/common/database';

/** Settings for a service's database: PostgreSQL at `url` when given, otherwise a SQLite file in a fresh folder. */
export function databaseSettings(url?: string, poolMax = 4): DatabaseSettings {
  return { urlVariable: 'TEST_DATABASE_URL', url, sqliteFile: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-')), 'service.db'), poolMax };
}

/** Opens a service's database (see databaseSettings) with its migrations applied. */
export function openTestDatabase<Tables>(migrations: readonly Migration[], url?: string): Promise<ServiceDatabase<Tables>> {
  return openDatabase<Tables>(databaseSettings(url), migrations);
}
