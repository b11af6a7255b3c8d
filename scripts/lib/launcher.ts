import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../services/common/paths';
import type { ServiceName } from '../../workflows/task-queues';
import { freePort } from './dev-server';
import { formatLogLine } from './log-format';
import { forEachLine, isRunning, printPrefixed, stopProcess } from './processes';
import { restartDelayMs, type RestartPolicy } from './restart-policy';

// The one way a service is started here, by npm start, the demo, the tests and the benchmark:
// the compiled entry point, a health port of its own (so replicas run side by side), readiness
// read from /readyz, its output on the terminal or in a log file, and what happens if it dies.

/** A service the launcher runs: a worker, or the API. */
export type ServiceKind = ServiceName | 'api';

/** Where a process's output goes: the terminal, each line made readable (log-format.ts) with its name in front, or a log file of its own, as JSON. */
export type Output = 'terminal' | { logFile: string };

export interface ServiceSpec {
  service: ServiceKind;
  /** Its name in prefixes and notes, e.g. "shipping-2" for a second replica; the service's name by default. */
  name?: string;
  /** Environment on top of this process's own. */
  env?: NodeJS.ProcessEnv;
  /** Node options before the entry point, e.g. ['--require', faultModule]. */
  nodeArgs?: string[];
  output: Output;
  restart: 'never' | RestartPolicy;
  /** Where it serves /readyz (the API's PORT, a worker's WORKER_HEALTH_PORT); a free port by default, picked anew at each restart. */
  port?: number;
  readyTimeoutMs?: number;
  /** Receives the launcher's own lines about the process: an unexpected exit, a restart. */
  notify?: (line: string) => void;
}

const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 50;
const STOP_GRACE_MS = 30_000;

/** The compiled entry point of a service: its worker, or the API's server. */
export const entryPoint = (service: ServiceKind): string =>
  path.join(projectRoot, 'dist', 'services', service, service === 'api' ? 'server.js' : 'worker.js');

/** The virtualenv's Python that runs the fraud worker (made by scripts/python.sh). */
export const fraudPython = path.join(projectRoot, '.cache', 'python', 'venv', 'bin', 'python');

/** The command that runs a service: Node on its entry point, or, for the fraud service, Python on its package. */
export function serviceCommand(service: ServiceKind, nodeArgs: string[] = []): { command: string; args: string[] } {
  if (service === 'fraud') {
    if (!fs.existsSync(fraudPython)) throw new Error(`${fraudPython} is missing: run bash scripts/python.sh (npm start and npm test do)`);
    return { command: fraudPython, args: ['-m', 'fraud'] };
  }
  return { command: process.execPath, args: [...nodeArgs, entryPoint(service)] };
}

/** One supervised service process: it is spawned again, under the same name, each time its restart policy brings it back. */
export class ServiceProcess {
  readonly name: string;
  private child?: ChildProcess;
  private port = 0;
  private startedAt = 0;
  private ready = false;
  private restarts = 0;
  private retired = false;
  private restartTimer?: NodeJS.Timeout;

  constructor(private readonly spec: ServiceSpec) {
    this.name = spec.name ?? spec.service;
  }

  /** Spawns it and resolves once its /readyz answers 200; if it exits or misses the deadline first, stops it and rejects. */
  async start(): Promise<void> {
    try {
      await this.spawn();
      await this.untilReady();
      this.ready = true;
    } catch (err) {
      await this.stop('SIGKILL');
      throw err;
    }
  }

  /** The current process's id; undefined before it is spawned. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether the current process is alive (ready or not). */
  get running(): boolean {
    return this.child !== undefined && isRunning(this.child);
  }

  /** The readiness endpoint of the current process. */
  get readyUrl(): string {
    return `http://127.0.0.1:${this.port}/readyz`;
  }

  /** From now on nothing brings it back: whatever exits stays down. */
  retire(): void {
    this.retired = true;
    clearTimeout(this.restartTimer);
  }

  /** Retires it, sends `signal` (SIGTERM lets a worker drain), SIGKILLs it after `graceMs`, and resolves once it has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = STOP_GRACE_MS): Promise<void> {
    this.retire();
    if (this.child) await stopProcess(this.child, graceMs, signal);
  }

  private async spawn(): Promise<void> {
    this.port = this.spec.port ?? (await freePort());
    if (this.retired) throw new Error(`${this.name} was stopped before it started`);
    // PYTHONUNBUFFERED: the fraud worker's lines arrive as it writes them, as a Node worker's do.
    const env: NodeJS.ProcessEnv = { ...process.env, METRICS_BIND_ADDRESS: undefined, PYTHONUNBUFFERED: '1', ...this.spec.env };
    env[this.spec.service === 'api' ? 'PORT' : 'WORKER_HEALTH_PORT'] = String(this.port);
    // detached: a process group of its own, so Ctrl-C in a terminal reaches only the launcher, which stops it in order.
    const { command, args } = serviceCommand(this.spec.service, this.spec.nodeArgs);
    const child = spawn(command, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.startedAt = Date.now();
    this.sendOutput(child);
    child.once('exit', (code, signal) => this.onExit(signal ?? `code ${code}`));
  }

  private sendOutput(child: ChildProcess): void {
    const { output } = this.spec;
    if (output === 'terminal') {
      const print = printPrefixed(this.name);
      return forEachLine(child, (line) => print(formatLogLine(line)));
    }
    fs.mkdirSync(path.dirname(output.logFile), { recursive: true });
    const log = fs.createWriteStream(output.logFile, { flags: 'a' });
    forEachLine(child, (line) => log.write(`${line}\n`));
    child.once('close', () => log.end());
  }

  private async untilReady(): Promise<void> {
    const child = this.child!;
    const url = this.readyUrl;
    const timeoutMs = this.spec.readyTimeoutMs ?? READY_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!isRunning(child))
        throw new Error(
          `${this.name} exited (${child.signalCode ?? `code ${child.exitCode}`}) before it was ready; ${this.whereOutputIs()}`,
        );
      if (await answersOk(url)) return;
      if (Date.now() > deadline)
        throw new Error(`${this.name} was not ready within ${timeoutMs / 1000}s (${url} did not answer 200); ${this.whereOutputIs()}`);
      await sleep(READY_POLL_MS);
    }
  }

  private onExit(cause: string): void {
    // Before its first readiness, start() reports the exit; after retire(), the exit was asked for.
    if (this.retired || !this.ready) return;
    const policy = this.spec.restart;
    if (policy === 'never') return this.notify(`${this.name} exited unexpectedly (${cause})`);
    if (Date.now() - this.startedAt >= policy.resetAfterMs) this.restarts = 0;
    this.restarts += 1;
    const delayMs = restartDelayMs(policy, this.restarts);
    this.notify(`${this.name} exited unexpectedly (${cause}); restarting in ${delayMs / 1000}s (restart ${this.restarts})`);
    this.restartTimer = setTimeout(() => void this.restart(), delayMs);
  }

  private async restart(): Promise<void> {
    try {
      await this.spawn();
      await this.untilReady();
      this.notify(`${this.name} is ready again (pid ${this.pid})`);
    } catch (err) {
      if (this.retired || !this.running) return;
      // Alive but never ready: kill it, and its exit schedules the next restart.
      this.notify(`${err instanceof Error ? err.message : err}; killing it`);
      this.child!.kill('SIGKILL');
    }
  }

  private whereOutputIs(): string {
    return this.spec.output === 'terminal' ? 'see its lines above' : `see ${this.spec.output.logFile}`;
  }

  private notify(line: string): void {
    this.spec.notify?.(line);
  }
}

/** Starts the processes together; if one fails, stops the others (none is left behind) and rejects with its error. */
export async function startAll(processes: ServiceProcess[]): Promise<void> {
  const starts = await Promise.allSettled(processes.map((process) => process.start()));
  const failed = starts.find((start): start is PromiseRejectedResult => start.status === 'rejected');
  if (!failed) return;
  await Promise.all(processes.map((process) => process.stop()));
  throw failed.reason;
}

/** Starts a service and resolves with it once it is ready (see ServiceProcess.start). */
export async function launchService(spec: ServiceSpec): Promise<ServiceProcess> {
  const service = new ServiceProcess(spec);
  await service.start();
  return service;
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
