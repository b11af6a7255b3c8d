import fs from 'node:fs';
import path from 'node:path';
import { apiConfig, dataDir, encryptionConfig, temporalConfig } from '../services/common/config';
import { newEncryptionKeySpec } from '../services/common/encryption-keys';
import { SERVICES } from '../workflows/task-queues';
import { ServiceProcess, type ServiceKind } from './lib/launcher';
import { RESTART_WITH_BACKOFF } from './lib/restart-policy';
import { ensureTemporal } from './lib/temporal-server';

// Runs the whole system on one machine: the Temporal dev server (unless one already answers at
// TEMPORAL_ADDRESS), one worker process per service, and the API. A process that dies on its own
// is restarted with backoff. Ctrl-C stops it all in order: the API first, then the workers
// (which drain), then Temporal.

const UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
// The workers' drain time (WORKER_SHUTDOWN_GRACE_TIME, 20s by default) plus a margin.
const STOP_GRACE_MS = 30_000;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

const say = (line: string) => console.log(`[start] ${line}`);

/**
 * The payload keys of every process: ENCRYPTION_KEYS or ENCRYPTION_KEYS_FILE when set, otherwise
 * a key made on the first run and kept in the data folder (git-ignored), so no plaintext PII reaches Temporal.
 */
function encryptionEnv(): NodeJS.ProcessEnv {
  const { keys, keysFile } = encryptionConfig();
  if (keys || keysFile) return {};
  const file = path.join(dataDir(), 'encryption-keys');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${newEncryptionKeySpec()}\n`, { mode: 0o600, flag: 'wx' });
    say(`made a payload encryption key in ${file}; keep it: orders encrypted with it cannot be read without it`);
  }
  return { ENCRYPTION_KEYS_FILE: file };
}

async function main(): Promise<void> {
  const temporal = temporalConfig();
  const dbFile = path.join(dataDir(), 'temporal.db');
  // A Ctrl-C while Temporal is still starting takes effect once it has, so no dev server is left behind.
  let stopAsked: NodeJS.Signals | undefined;
  const askStop = (signal: NodeJS.Signals) => void (stopAsked = signal);
  for (const signal of SIGNALS) process.on(signal, askStop);
  const encryption = encryptionEnv();
  // The Web UI decodes payloads through the API's codec server.
  const uiCodecEndpoint = `http://localhost:${apiConfig().port}/codec`;
  const server = await ensureTemporal({
    address: temporal.address,
    namespace: temporal.namespace,
    uiPort: UI_PORT,
    dbFile,
    uiCodecEndpoint,
    say,
  });
  for (const signal of SIGNALS) process.off(signal, askStop);

  // The API's links point at the Web UI of the dev server started here, unless TEMPORAL_UI_URL says otherwise.
  const uiUrl = server && !process.env.TEMPORAL_UI_URL ? `http://localhost:${UI_PORT}` : temporal.uiUrl;
  // That Web UI calls the codec server from the browser, from its own origin.
  const codecCorsOrigins =
    server && !process.env.CODEC_CORS_ORIGINS ? `http://localhost:${UI_PORT}` : apiConfig().codecCorsOrigins.join(',');
  // One build runs here, the one just built: it becomes current even if an earlier build was (see README).
  const versionRollout = process.env.WORKER_VERSION_ROLLOUT || 'always';
  const supervised = (service: ServiceKind, port?: number) =>
    new ServiceProcess({
      service,
      port,
      env: { TEMPORAL_UI_URL: uiUrl, CODEC_CORS_ORIGINS: codecCorsOrigins, WORKER_VERSION_ROLLOUT: versionRollout, ...encryption },
      output: 'terminal',
      restart: RESTART_WITH_BACKOFF,
      notify: say,
    });
  const workers = SERVICES.map((service) => supervised(service));
  const api = supervised('api', apiConfig().port);

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    for (const service of [api, ...workers]) service.retire();
    say(`${reason}: stopping the API, then the workers (they drain), then Temporal`);
    await api.stop('SIGTERM', STOP_GRACE_MS);
    await Promise.all(workers.map((worker) => worker.stop('SIGTERM', STOP_GRACE_MS)));
    await server?.stop();
    say('all stopped');
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    stop(signal).then(
      () => process.exit(0),
      (err) => {
        console.error('[start] stopping failed:', err);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.once(signal, onSignal);
  if (stopAsked) return onSignal(stopAsked);

  try {
    await Promise.all(workers.map((worker) => worker.start()));
    await api.start();
  } catch (err) {
    if (stopping) return;
    say(`${err instanceof Error ? err.message : err}`);
    await stop('a process did not start');
    process.exit(1);
  }
  say(`API:    http://localhost:${apiConfig().port}`);
  say(`Web UI: ${uiUrl}`);
  say('Ctrl-C stops everything.');
}

main().catch((err) => {
  console.error('[start]', err);
  process.exit(1);
});
