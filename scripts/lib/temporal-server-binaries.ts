import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../services/common/paths';

/** The Temporal server at the version compose pins, built from its Go module. */
export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** The PostgreSQL schemas shipped in the server's module: the `temporal` and `visibility` folders. */
  schemaDir: string;
}

/** Finds the binaries, building them first if they are not cached (scripts/temporal-server.sh). */
export function temporalServerBinaries(): TemporalServerBinaries {
  const output = execFileSync('bash', [path.join(projectRoot, 'scripts', 'temporal-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const paths = Object.fromEntries(
    output
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const { TEMPORAL_SERVER: server, TEMPORAL_SQL_TOOL: sqlTool, TEMPORAL_SCHEMA_DIR: schemaDir } = paths;
  if (!server || !sqlTool || !schemaDir) throw new Error(`scripts/temporal-server.sh printed no paths: ${output}`);
  return { server, sqlTool, schemaDir };
}
