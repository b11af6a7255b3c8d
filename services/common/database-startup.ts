import { openDatabase, type DatabaseSettings, type Schema, type ServiceDatabase } from './database';
import { DatabaseStartError } from './database-errors';

/** Opens a worker's database, or ends the process with one line that says why (never a stack trace, never a crash loop of traces). */
export async function openDatabaseOrExit<Tables>(settings: DatabaseSettings, schema: Schema): Promise<ServiceDatabase<Tables>> {
  try {
    return await openDatabase<Tables>(settings, schema);
  } catch (err) {
    console.error(err instanceof DatabaseStartError ? err.message : `${settings.urlVariable}: cannot open the database: ${(err as Error).message}`);
    process.exit(1);
  }
}
