import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../services/common/paths';
import { connectTemporal } from '../../services/common/temporal-connection';
import { customSearchAttributes } from '../../workflows/search-attributes';
import { spawnNamed, stopProcess } from './processes';

/** The path of the Temporal CLI, installing the pinned version if needed (scripts/temporal-cli.sh). */
export function temporalCli(): string {
  const script = path.join(projectRoot, 'scripts', 'temporal-cli.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** A TCP port nobody is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resolves once a Temporal frontend answers at `address`; rejects after `timeoutMs`. */
export async function waitForTemporal(address: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await connectTemporal({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal did not answer at ${address} within ${timeoutMs} ms: ${err}`);
      await sleep(250);
    }
  }
}

// A file-backed server writes through SQLite's write-ahead log, synced at checkpoints rather than at
// every commit: several times the throughput of the defaults. A killed server process loses
// nothing (what it wrote is in the OS's hands); only a power cut can lose the last commits.
const FILE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

export interface DevServerOptions {
  port: number;
  /** The Web UI's port; omit for a headless server (tests). */
  uiPort?: number;
  /** A SQLite file that keeps the server's data across restarts; omit for an in-memory server (tests). */
  dbFile?: string;
  /** Namespaces to create at start; the custom search attributes are registered in each. */
  namespaces?: string[];
  ip?: string;
  /** The codec server the Web UI decodes payloads with, e.g. the API's http://localhost:3000/codec. */
  uiCodecEndpoint?: string;
  /** More `temporal server start-dev` arguments, e.g. a benchmark's other SQLite pragmas. */
  extraArgs?: string[];
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the Temporal CLI's dev server (a real Temporal server on SQLite) with the project's
 * custom search attributes registered, and waits until it answers.
 */
export async function startDevServer({
  port,
  uiPort,
  dbFile,
  namespaces = ['default'],
  ip = '127.0.0.1',
  uiCodecEndpoint,
  extraArgs = [],
}: DevServerOptions): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', 'error'];
  // The dev server's one history shard reads new tasks at most 20 times a second by default, so
  // every activity and workflow task waited about 40 ms on an idle server (docs/performance.md).
  args.push('--dynamic-config-value', 'history.transferProcessorMaxPollRPS=1000');
  for (const namespace of namespaces) args.push('--namespace', namespace);
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  if (uiCodecEndpoint && uiPort !== undefined) args.push('--ui-codec-endpoint', uiCodecEndpoint);
  if (dbFile) {
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile, ...FILE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]));
  }
  for (const [name, type] of Object.entries(customSearchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  args.push(...extraArgs);

  const child = spawnNamed('temporal', temporalCli(), args);
  const address = `${ip}:${port}`;
  let onExit: (code: number | null) => void = () => {};
  const failedEarly = new Promise<never>((_, reject) => {
    onExit = (code) => reject(new Error(`the Temporal dev server exited with code ${code} before it was ready`));
    child.once('exit', onExit);
  });
  try {
    await Promise.race([waitForTemporal(address), failedEarly]);
  } finally {
    child.off('exit', onExit);
  }
  return { address, process: child, stop: () => stopProcess(child, 10_000) };
}
