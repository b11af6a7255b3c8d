import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporalCli } from './dev-server';
import { startPostgres, type PostgresServer } from './postgres';
import { temporalServerBinaries } from './temporal-server-binaries';
import { TemporalServerProcess } from './temporal-server-process';
import { setupNamespace, setupSchema } from './temporal-setup-jobs';
import type { TemporalServerTls } from './temporal-server-tls';

/** The production topology on one machine: the Temporal server on a PostgreSQL server of its own, set up as compose sets it up. */
export interface TemporalCluster {
  /** The frontend's gRPC address, on loopback. */
  address: string;
  /** Holds Temporal's `temporal` and `temporal_visibility` databases; the services' own databases can live beside them. */
  postgres: PostgresServer;
  /** Stops the Temporal server alone: SIGTERM shuts it down cleanly, SIGKILL is a crash. PostgreSQL keeps running. */
  stopServer(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the Temporal server again, on the same ports and databases, and resolves once it serves. */
  startServer(): Promise<void>;
  /** Stops the server and PostgreSQL, and deletes their data. */
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL, runs compose's schema job, starts the Temporal server (compose's version,
 * built from its Go module) with compose's configuration on free loopback ports, and runs
 * compose's namespace job for each of `namespaces`. With `tls`, the frontend serves mTLS only.
 */
export async function startTemporalCluster({
  namespaces,
  tls,
}: {
  namespaces: readonly string[];
  tls?: TemporalServerTls;
}): Promise<TemporalCluster> {
  const binaries = temporalServerBinaries();
  const cli = temporalCli();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orders-temporal-'));
  const postgres = await startPostgres();
  let server: TemporalServerProcess | undefined;
  const stop = async () => {
    await server?.stop();
    await postgres.destroy();
    fs.rmSync(logDir, { recursive: true, force: true });
  };
  try {
    await setupSchema(postgres, binaries);
    server = await TemporalServerProcess.create({
      binary: binaries.server,
      postgres,
      logFile: path.join(logDir, 'temporal-server.log'),
      tls,
    });
    await server.start();
    const { address } = server;
    // The frontend rate-limits namespace registration: the job retries when refused, and four at a time
    // keeps the retries few (all of the suite's at once, and once even four, were refused in CI).
    for (let i = 0; i < namespaces.length; i += 4) {
      await Promise.all(namespaces.slice(i, i + 4).map((namespace) => setupNamespace(address, namespace, cli, tls)));
    }
    const started = server;
    return { address, postgres, stopServer: (signal) => started.stop(signal), startServer: () => started.start(), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
