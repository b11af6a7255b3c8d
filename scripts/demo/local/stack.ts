import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectTemporalClient } from '../../../services/common/temporal-connection';
import { freePort } from '../../lib/dev-server';
import { exited } from '../../lib/processes';
import { ensureTemporal } from '../../lib/temporal-server';
import type { DemoTarget, OwnedTemporalServer } from '../cluster';
import { LocalCluster } from './cluster';
import { terminateLeftoverOrders } from './leftovers';
import { auditLocalRun } from './store-audit';

// The local target: the Temporal dev server (or the one already answering), one process per
// worker and the API, all on this machine, with the services' stores in a fresh folder.

export interface LocalOptions {
  /** Where Temporal answers, or where to start the dev server if nothing does. */
  temporalAddress: string;
  /** The Web UI port of a dev server the demo starts. */
  uiPort: number;
  /** Base URL of the Web UI for links; by default the started dev server's, or TEMPORAL_UI_URL's default. */
  uiUrl?: string;
  namespace: string;
  /** The API's port; by default 3000, or any free port if 3000 is taken. */
  apiPort?: number;
  /** The simulated carrier's transit time (SHIPPING_TRANSIT_MS). */
  transitMs: number;
  log: (line: string) => void;
}

/** Starts (or attaches to) Temporal, then the demo's own workers and API. */
export async function startLocalTarget(options: LocalOptions): Promise<DemoTarget> {
  const { namespace, log } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-orders-demo-'));
  // On a file, so the "Temporal server down" scene can kill it and start it again with every order intact.
  const temporalOptions = {
    address: options.temporalAddress,
    namespace,
    uiPort: options.uiPort,
    dbFile: path.join(dataDir, 'temporal.db'),
    say: log,
  };
  let server = await ensureTemporal(temporalOptions);
  const temporalServer: OwnedTemporalServer | undefined = server && {
    crash: async () => {
      server!.process.kill('SIGKILL');
      await exited(server!.process);
    },
    restart: async () => void (server = await ensureTemporal(temporalOptions)),
  };
  const uiUrl = (options.uiUrl ?? (server ? `http://localhost:${options.uiPort}` : 'http://localhost:8233')).replace(/\/$/, '');
  const { client, connection } = await connectTemporalClient({ address: options.temporalAddress, namespace });
  const cluster = new LocalCluster(
    {
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_UI_URL: uiUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      // Pods drain quickly, so a rollout takes seconds.
      WORKER_SHUTDOWN_GRACE_TIME: '5s',
      // The demo's pods run the build just built, even on a server an earlier build ran on.
      WORKER_VERSION_ROLLOUT: 'always',
      SHIPPING_TRANSIT_MS: String(options.transitMs),
    },
    path.join(dataDir, 'logs'),
    log,
  );
  const stop = async () => {
    await cluster.stop();
    await connection.close();
    await server?.stop();
  };
  try {
    await terminateLeftoverOrders(client, log);
    const apiUrl = await cluster.start(options.apiPort ?? ((await portIsFree(3000)) ? 3000 : await freePort()));
    return {
      description: `local processes, Temporal at ${options.temporalAddress}${server ? ' (dev server started by the demo)' : ''}`,
      cluster,
      client,
      namespace,
      apiUrl,
      uiUrl,
      temporalServer,
      notes: [`API ${apiUrl} · Web UI ${uiUrl}`, `stores and pod logs in ${dataDir}`],
      audit: (placed) => auditLocalRun(client, dataDir, placed),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
