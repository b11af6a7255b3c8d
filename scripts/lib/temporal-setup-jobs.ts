import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ComposeServiceDefinition } from './compose-file';
import type { PostgresServer } from './postgres';
import type { TemporalServerBinaries } from './temporal-server-binaries';
import { clientTlsEnvironment, type TemporalServerTls } from './temporal-server-tls';

// Compose's two one-shot jobs, run here: the same scripts with the same environment, pointed at
// this machine's PostgreSQL, Temporal and tools instead of the admin-tools image's.

const run = promisify(execFile);

async function runJob(job: ComposeServiceDefinition, env: Record<string, string>): Promise<void> {
  try {
    await run('/bin/sh', [job.entrypointScript], { env: { ...process.env, ...job.environment, ...env }, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`compose's ${job.name} job (${job.entrypointScript}) failed: ${err}\n${stdout}${stderr}`);
  }
}

/** The temporal-schema job: creates Temporal's two databases on `postgres` and brings their schemas up to date. */
export async function setupSchema(postgres: PostgresServer, binaries: TemporalServerBinaries): Promise<void> {
  const superuser = new URL(postgres.url());
  await runJob(ComposeServiceDefinition.read('temporal-schema'), {
    SQL_HOST: postgres.host,
    SQL_PORT: String(postgres.port),
    SQL_USER: decodeURIComponent(superuser.username),
    SQL_PASSWORD: decodeURIComponent(superuser.password),
    SCHEMA_DIR: binaries.schemaDir,
    TEMPORAL_SQL_TOOL: binaries.sqlTool,
  });
}

/** The temporal-setup job: waits until the server is healthy, then creates `namespace` with the custom search attributes. */
export async function setupNamespace(address: string, namespace: string, cli: string, tls?: TemporalServerTls): Promise<void> {
  await runJob(ComposeServiceDefinition.read('temporal-setup'), {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_CLI: cli,
    ...(tls && clientTlsEnvironment(tls)),
  });
}
