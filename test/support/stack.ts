import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import type { ServiceName } from '../../workflows/task-queues';
import { exited } from '../../scripts/lib/processes';
import type { TestNamespace } from './namespaces';

const DIST = path.resolve(__dirname, '../../dist');
export const ALL_SERVICES: ServiceName[] = ['orders', 'payment', 'inventory', 'shipping', 'email'];

export interface StackOptions {
  namespace: TestNamespace;
  services?: ServiceName[];
  /** Extra environment for every worker, e.g. a gateway failure rate. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The system under test: real worker processes (the compiled code, as in production) on the
 * test run's Temporal dev server, each in a namespace of the test file's own, with its stores
 * in a fresh temporary data folder.
 */
export class TestStack {
  readonly workers = new Map<ServiceName, ChildProcess>();
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orders-test-'));

  private constructor(
    readonly namespace: TestNamespace,
    readonly client: Client,
    private readonly connection: Connection,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start({ namespace, services = ALL_SERVICES, env = {} }: StackOptions): Promise<TestStack> {
    const connection = await Connection.connect({ address: temporalAddress() });
    const stack = new TestStack(namespace, new Client({ connection, namespace }), connection, env);
    try {
      await Promise.all(services.map((service) => stack.startWorker(service)));
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  /** The environment a worker of this stack runs with. */
  workerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: this.namespace,
      DATA_DIR: this.dataDir,
      LOG_LEVEL: 'info',
      WORKER_SHUTDOWN_GRACE_TIME: '2s',
      PAYMENT_GATEWAY_LATENCY_MS: '10',
      SHIPPING_TRANSIT_MS: '300',
      ...this.env,
      ...extra,
    };
  }

  /** Starts a service's worker process and resolves once it polls its task queue. */
  async startWorker(service: ServiceName, extraEnv: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
    const log = fs.createWriteStream(path.join(this.dataDir, `${service}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [path.join(DIST, 'services', service, 'worker.js')], {
      env: this.workerEnv(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.workers.set(service, child);
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${service} worker exited with code ${code}; see ${log.path}`)));
      for (const stream of [child.stdout!, child.stderr!]) {
        readline.createInterface({ input: stream }).on('line', (line) => {
          log.write(`${line}\n`);
          if (line.includes('polling task queue')) resolve();
        });
      }
    });
    child.removeAllListeners('exit');
    return child;
  }

  /** Stops a service's worker: SIGTERM drains it, SIGKILL is a crash. */
  async stopWorker(service: ServiceName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.workers.get(service);
    if (!child) return;
    child.kill(signal);
    await exited(child);
    this.workers.delete(service);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers.keys()].map((service) => this.stopWorker(service)));
    await this.connection.close();
  }
}

export function temporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run the tests with jest, whose global setup starts the dev server');
  return address;
}
