import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../../services/common/paths';
import type { ServiceName } from '../../../workflows/task-queues';
import { stopProcess } from '../../lib/processes';
import type { Cluster, PodStatus } from '../cluster';
import { preloading, type Fault } from '../faults';
import { SERVICES } from '../observer';

// The local driver: a pod is a worker process. Replacing a build works like a Kubernetes
// rolling update (the new pod first, then the old one drains and stops); scaling starts or
// stops processes. Each pod's output goes to a log file of its own, so the live view stays clean.

const DIST = path.join(projectRoot, 'dist');
// A worker drains within WORKER_SHUTDOWN_GRACE_TIME (set by the local target); then it is killed.
const STOP_GRACE_MS = 15_000;

interface Pod {
  name: string;
  service: ServiceName;
  process: ChildProcess;
  bugged: boolean;
}

/** A service's build: the environment its pods start with, and whether it is a bugged one. */
interface Build {
  env: NodeJS.ProcessEnv;
  bugged: boolean;
}

export class LocalCluster implements Cluster {
  private readonly fleet: Pod[] = [];
  private readonly builds = new Map<ServiceName, Build>(SERVICES.map((service) => [service, { env: {}, bugged: false }]));
  private readonly podsStarted = new Map<ServiceName, number>();
  private api?: ChildProcess;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logsDir: string,
    private readonly log: (line: string) => void,
  ) {
    fs.mkdirSync(logsDir, { recursive: true });
  }

  /** One pod per service, then the API on `port`; resolves once all of them are ready. */
  async start(apiPort: number): Promise<string> {
    await Promise.all(SERVICES.map((service) => this.startPod(service)));
    this.api = this.spawn('api', path.join(DIST, 'services/api/server.js'), { PORT: String(apiPort), HOST: '127.0.0.1' });
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await this.untilReady(this.api, 'api', async () => (await fetch(`${apiUrl}/readyz`).catch(() => undefined))?.ok === true);
    return apiUrl;
  }

  setShippingBugged(bugged: boolean): Promise<void> {
    return this.rollOut('shipping', buildWith(bugged && 'labelBug'));
  }

  setWorkflowCodeBugged(bugged: boolean): Promise<void> {
    return this.rollOut('orders', buildWith(bugged && 'workflowCodeBug'));
  }

  async scale(service: ServiceName, replicas: number): Promise<void> {
    const running = this.running(service);
    const starting = Array.from({ length: Math.max(0, replicas - running.length) }, () => this.startPod(service));
    const stopping = running.slice(replicas).map((pod) => this.stopPod(pod));
    await Promise.all([...starting, ...stopping]);
  }

  async pods(): Promise<Record<ServiceName, PodStatus>> {
    return Object.fromEntries(
      SERVICES.map((service) => {
        const running = this.running(service);
        return [service, { ready: running.length, bugged: running.some((pod) => pod.bugged) }];
      }),
    ) as Record<ServiceName, PodStatus>;
  }

  /** Stops the API, then every pod (they drain). */
  async stop(): Promise<void> {
    if (this.api) await stopProcess(this.api, STOP_GRACE_MS);
    await Promise.all(this.fleet.filter(isAlive).map((pod) => this.stopPod(pod)));
  }

  /** Replaces every pod of a service with one of the new build, new pods first. */
  private async rollOut(service: ServiceName, build: Build): Promise<void> {
    const old = this.running(service);
    this.builds.set(service, build);
    await Promise.all(Array.from({ length: Math.max(1, old.length) }, () => this.startPod(service)));
    await Promise.all(old.map((pod) => this.stopPod(pod)));
  }

  private running(service: ServiceName): Pod[] {
    return this.fleet.filter((pod) => pod.service === service && isAlive(pod));
  }

  private async startPod(service: ServiceName): Promise<void> {
    const build = this.builds.get(service)!;
    const number = (this.podsStarted.get(service) ?? 0) + 1;
    this.podsStarted.set(service, number);
    const name = `${service}-${number}`;
    let polling = false;
    const child = this.spawn(name, path.join(DIST, 'services', service, 'worker.js'), build.env, (line) => {
      if (line.includes('polling task queue')) polling = true;
    });
    const pod: Pod = { name, service, process: child, bugged: build.bugged };
    this.fleet.push(pod);
    await this.untilReady(child, name, async () => polling);
    this.log(`started ${name}${build.bugged ? ' (bugged build)' : ''}, pid ${child.pid}`);
  }

  private async stopPod(pod: Pod): Promise<void> {
    await stopProcess(pod.process, STOP_GRACE_MS);
    this.log(`stopped ${pod.name}`);
  }

  private spawn(name: string, script: string, env: NodeJS.ProcessEnv, onLine?: (line: string) => void): ChildProcess {
    const log = fs.createWriteStream(path.join(this.logsDir, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [script], { env: { ...this.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout!, child.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        log.write(`${line}\n`);
        onLine?.(line);
      });
    }
    child.once('exit', () => log.end());
    return child;
  }

  private async untilReady(child: ChildProcess, name: string, ready: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!(await ready())) {
      if (!isAlive({ process: child })) throw new Error(`${name} exited before it was ready; see ${path.join(this.logsDir, `${name}.log`)}`);
      if (Date.now() > deadline) throw new Error(`${name} was not ready within 60s; see ${path.join(this.logsDir, `${name}.log`)}`);
      await sleep(100);
    }
  }
}

/** The fixed build, or the bugged one: the same worker with the fault's module preloaded. */
const buildWith = (fault: Fault | false): Build => (fault ? { env: { NODE_OPTIONS: preloading(fault) }, bugged: true } : { env: {}, bugged: false });

const isAlive = ({ process }: Pick<Pod, 'process'>): boolean => process.exitCode === null && process.signalCode === null;
