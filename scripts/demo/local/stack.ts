import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { customSearchAttributes } from '../../../workflows/search-attributes';
import { freePort, startDevServer, waitForTemporal, type DevServer } from '../../lib/dev-server';
import type { DemoTarget } from '../cluster';
import { LocalCluster } from './cluster';
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

const GRPC_NOT_FOUND = 5;
const { IndexedValueType } = temporal.api.enums.v1;

/** Starts (or attaches to) Temporal, then the demo's own workers and API. */
export async function startLocalTarget(options: LocalOptions): Promise<DemoTarget> {
  const { namespace, log } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-orders-demo-'));
  const server = await ensureTemporal(options);
  const uiUrl = (options.uiUrl ?? (server ? `http://localhost:${options.uiPort}` : 'http://localhost:8233')).replace(/\/$/, '');
  const connection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection, namespace });
  const cluster = new LocalCluster(
    {
      ...process.env,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_UI_URL: uiUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      // Pods drain quickly, so a rollout takes seconds.
      WORKER_SHUTDOWN_GRACE_TIME: '5s',
      SHIPPING_TRANSIT_MS: String(options.transitMs),
      // Several pods of a service run side by side here: no fixed health or metrics ports.
      WORKER_HEALTH_PORT: '',
      METRICS_BIND_ADDRESS: '',
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
    if (!server) await ensureNamespace(connection, namespace);
    const apiUrl = await cluster.start(options.apiPort ?? ((await portIsFree(3000)) ? 3000 : await freePort()));
    return {
      description: `local processes, Temporal at ${options.temporalAddress}${server ? ' (dev server started by the demo)' : ''}`,
      cluster,
      client,
      namespace,
      apiUrl,
      uiUrl,
      notes: [`API ${apiUrl} · Web UI ${uiUrl}`, `stores and pod logs in ${dataDir}`],
      audit: (placed) => auditLocalRun(client, dataDir, placed),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Attaches to a Temporal server that answers, or starts the dev server (in memory, with the Web UI). */
async function ensureTemporal({ temporalAddress, uiPort, namespace, log }: LocalOptions): Promise<DevServer | undefined> {
  try {
    await waitForTemporal(temporalAddress, 1_000);
    log(`using the Temporal server at ${temporalAddress}`);
    return undefined;
  } catch {
    const [host, port] = temporalAddress.split(':');
    log(`starting the Temporal dev server on ${temporalAddress}, Web UI on port ${uiPort}`);
    return startDevServer({ ip: host === 'localhost' ? '127.0.0.1' : host, port: Number(port), uiPort, namespaces: [namespace] });
  }
}

/** On a server the demo did not start: creates the namespace and the custom search attributes if they are missing. */
async function ensureNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  }
  // A new namespace, and a new search attribute, can be used once the server's caches have caught up.
  const missingAttributes = async (): Promise<string[]> => {
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      return Object.keys(customSearchAttributes).filter((name) => !(name in customAttributes));
    } catch (err) {
      if (isNotFound(err)) return Object.keys(customSearchAttributes);
      throw err;
    }
  };
  let added = false;
  for (const deadline = Date.now() + 60_000; ; await sleep(500)) {
    const missing = await missingAttributes();
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`namespace "${namespace}" was not ready with its search attributes within 60s`);
    if (added) continue;
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(
          missing.map((name) => [name, customSearchAttributes[name] === 'Double' ? IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
        ),
      });
      added = true;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

const isNotFound = (err: unknown): boolean => isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
