import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { EncryptionKeyring, newEncryptionKeySpec } from '../../services/common/encryption-keys';
import { connectTemporalClient } from '../../services/common/temporal-connection';
import { SERVICES, type ServiceName } from '../../workflows/task-queues';
import { ServiceProcess } from '../../scripts/lib/launcher';
import type { TestNamespace } from './namespaces';

export interface StackOptions {
  namespace: TestNamespace;
  services?: ServiceName[];
  /** Extra environment for every worker, e.g. a gateway failure rate. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The system under test: real worker processes (the compiled code, as in production) on the
 * test run's Temporal dev server, each in a namespace of the test file's own, with its stores
 * in a fresh temporary data folder. Workers are never restarted: a test stops them on purpose.
 */
export class TestStack {
  readonly workers = new Map<ServiceName, ServiceProcess>();
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orders-test-'));

  private constructor(
    readonly namespace: TestNamespace,
    readonly client: Client,
    private readonly connection: Connection,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start({ namespace, services = SERVICES, env = {} }: StackOptions): Promise<TestStack> {
    const { client, connection } = await connectTemporalClient({ address: temporalAddress(), namespace, keyring: testKeyring });
    const stack = new TestStack(namespace, client, connection, env);
    try {
      await Promise.all(services.map((service) => stack.startWorker(service)));
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  /** Starts a service's worker process and resolves once its /readyz answers, that is once it polls its task queue. */
  async startWorker(service: ServiceName, extraEnv: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    const worker = new ServiceProcess({
      service,
      env: this.workerEnv(extraEnv),
      output: { logFile: path.join(this.dataDir, `${service}.log`) },
      restart: 'never',
    });
    this.workers.set(service, worker);
    await worker.start();
    return worker;
  }

  /** Stops a service's worker: SIGTERM drains it, SIGKILL is a crash. */
  async stopWorker(service: ServiceName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const worker = this.workers.get(service);
    if (!worker) return;
    await worker.stop(signal);
    this.workers.delete(service);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers.keys()].map((service) => this.stopWorker(service)));
    await this.connection.close();
  }

  private workerEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return {
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: this.namespace,
      DATA_DIR: this.dataDir,
      LOG_LEVEL: 'info',
      WORKER_SHUTDOWN_GRACE_TIME: '2s',
      PAYMENT_GATEWAY_LATENCY_MS: '10',
      SHIPPING_TRANSIT_MS: '300',
      ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
      ...this.env,
      ...extra,
    };
  }
}

/** The payload key of this test file's workers and clients: made per run, like a real one, never committed. */
export const TEST_ENCRYPTION_KEYS = newEncryptionKeySpec('test');
export const testKeyring = EncryptionKeyring.parse(TEST_ENCRYPTION_KEYS, 'TEST_ENCRYPTION_KEYS');

export function temporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run the tests with jest, whose global setup starts the dev server');
  return address;
}
