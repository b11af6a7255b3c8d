import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { apiConfig, dataDir, temporalConfig } from '../services/common/config';
import type { ServiceName } from '../workflows/task-queues';
import { startDevServer, waitForTemporal, type DevServer } from './lib/dev-server';
import { spawnNamed, stopProcess } from './lib/processes';

// Runs the whole system on one machine: the Temporal dev server (unless one already answers at
// TEMPORAL_ADDRESS), one worker process per service, and the API. Ctrl-C stops it all in order:
// the API first, then the workers (which drain), then Temporal.

const DIST = path.resolve(__dirname, '..');
const WORKERS: ServiceName[] = ['orders', 'payment', 'inventory', 'shipping', 'email'];
const UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
// The workers' drain time (WORKER_SHUTDOWN_GRACE_TIME, 20s by default) plus a margin.
const STOP_GRACE_MS = 30_000;

async function main(): Promise<void> {
  const temporal = temporalConfig();
  const server = await ensureTemporal(temporal.address);

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const run = (name: string, script: string) => {
    const child = spawnNamed(name, process.execPath, [path.join(DIST, script)]);
    child.once('exit', (code, signal) => {
      if (!stopping) console.error(`[start] ${name} exited unexpectedly (${signal ?? `code ${code}`})`);
    });
    children.set(name, child);
  };
  for (const service of WORKERS) run(service, `services/${service}/worker.js`);
  run('api', 'services/api/server.js');

  const { port } = apiConfig();
  console.log(`[start] API:    http://localhost:${port}`);
  console.log(`[start] Web UI: ${temporal.uiUrl}`);
  console.log('[start] Ctrl-C stops everything.');

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`[start] ${signal}: stopping the API, then the workers (they drain), then Temporal`);
    await stopProcess(children.get('api')!, STOP_GRACE_MS);
    await Promise.all(WORKERS.map((service) => stopProcess(children.get(service)!, STOP_GRACE_MS)));
    await server?.stop();
    console.log('[start] all stopped');
    process.exit(0);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    stop(signal).catch((err) => {
      console.error('[start] stopping failed:', err);
      process.exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Attaches to a Temporal server that already answers, or starts the dev server with a persistent file. */
async function ensureTemporal(address: string): Promise<DevServer | undefined> {
  try {
    await waitForTemporal(address, 1_000);
    console.log(`[start] using the Temporal server already running at ${address}`);
    return undefined;
  } catch {
    const [host, port] = address.split(':');
    const dbFile = path.join(dataDir(), 'temporal.db');
    console.log(`[start] starting the Temporal dev server on ${address}, data in ${path.relative(process.cwd(), dbFile)}`);
    return startDevServer({ ip: host === 'localhost' ? '127.0.0.1' : host, port: Number(port), uiPort: UI_PORT, dbFile });
  }
}

main().catch((err) => {
  console.error('[start]', err);
  process.exit(1);
});
