import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { EncryptionKeyring, newEncryptionKeySpec } from '../../services/common/encryption-keys';
import { connectTemporalClient } from '../../services/common/temporal-connection';
import { SERVICES, type ServiceName } from '../../workflows/task-queues';
import { ServiceProcess, startAll } from '../../scripts/lib/launcher';
import type { RestartPolicy } from '../../scripts/lib/restart-policy';
import { databaseUrlEnv, type DatabaseUrls } from '../../scripts/lib/service-stores';
import { untilVersionKnown } from '../../scripts/lib/worker-deployments';
import { deploymentName } from '../../services/common/worker-versioning';
import type { TestNamespace } from './namespaces';

export type Replicas = Partial<Record<ServiceName, number>>;

export interface StackOptions {
  namespace: TestNamespace;
  services?: ServiceName[];
  /** Extra environment for every worker, e.g. a gateway failure rate. */
  env?: NodeJS.ProcessEnv;
  /** Each service's PostgreSQL database; the suite's (testDatabaseUrls) by default, where none is SQLite in dataDir. */
  databaseUrls?: DatabaseUrls;
  /** Worker processes per service; the suite's (testReplicas) by default, where unset is 1. */
  replicas?: Replicas;
  /** What happens when a worker dies on its own: never restarted by default, as a test stops them on purpose. */
  restart?: 'never' | RestartPolicy;
}

/** The suite's PostgreSQL databases, from TEST_DATABASE_URLS (JSON, set by the cluster suite's global setup). */
export const testDatabaseUrls = (): DatabaseUrls => JSON.parse(process.env.TEST_DATABASE_URLS ?? '{}') as DatabaseUrls;

/** The suite's replicas per service, from TEST_REPLICAS (JSON, set by the cluster suite's global setup). */
export const testReplicas = (): Replicas => JSON.parse(process.env.TEST_REPLICAS ?? '{}') as Replicas;

/**
 * The system under test: real worker processes (the compiled code, as in production) on the
 * test run's Temporal server, each in a namespace of the test file's own, with its stores in a
 * fresh temporary data folder, or in the PostgreSQL databases given. A service may run several
 * replicas, which share its store.
 */
export class TestStack {
  private readonly pods = new Map<ServiceName, ServiceProcess[]>();
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orders-test-'));

  private constructor(
    readonly namespace: TestNamespace,
    readonly client: Client,
    private readonly connection: Connection,
    private readonly env: NodeJS.ProcessEnv,
    readonly databaseUrls: DatabaseUrls,
    private readonly replicas: Replicas,
    private readonly restart: 'never' | RestartPolicy,
  ) {}

  static async start({
    namespace,
    services = SERVICES,
    env = {},
    databaseUrls = testDatabaseUrls(),
    replicas = testReplicas(),
    restart = 'never',
  }: StackOptions): Promise<TestStack> {
    const { client, connection } = await connectTemporalClient({ address: temporalAddress(), namespace, keyring: testKeyring });
    const stack = new TestStack(namespace, client, connection, env, databaseUrls, replicas, restart);
    try {
      await Promise.all(services.map((service) => stack.startWorker(service)));
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  /** Each running service's first worker process. */
  get workers(): Map<ServiceName, ServiceProcess> {
    return new Map([...this.pods].map(([service, [first]]) => [service, first]));
  }

  /** Every worker process of the stack, replicas included. */
  get allWorkers(): ServiceProcess[] {
    return [...this.pods.values()].flat();
  }

  /**
   * Starts a service's worker processes (its replicas) and resolves with the first once every
   * /readyz answers, that is once each polls its task queue.
   */
  async startWorker(service: ServiceName, extraEnv: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    const count = this.replicas[service] ?? 1;
    const replicas = Array.from(
      { length: count },
      (_, i) =>
        new ServiceProcess({
          service,
          name: count > 1 ? `${service}-${i + 1}` : service,
          env: this.workerEnv(extraEnv),
          output: { logFile: path.join(this.dataDir, count > 1 ? `${service}-${i + 1}.log` : `${service}.log`) },
          restart: this.restart,
        }),
    );
    this.pods.set(service, replicas);
    await startAll(replicas);
    return replicas[0];
  }

  /**
   * Starts another build of a service's worker beside the one running, as version `buildId` of its
   * deployment, and resolves once Temporal knows that version (it has polled); the caller stops it.
   */
  async startBuild(service: ServiceName, buildId: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    const worker = new ServiceProcess({
      service,
      name: `${service}-${buildId}`,
      env: this.workerEnv({ WORKER_BUILD_ID: buildId, ...extraEnv }),
      output: { logFile: path.join(this.dataDir, `${service}-${buildId}.log`) },
      restart: 'never',
    });
    await worker.start();
    await untilVersionKnown(this.client, { deploymentName: deploymentName(service), buildId });
    return worker;
  }

  /** Stops a service's worker processes: SIGTERM drains them, SIGKILL is a crash. */
  async stopWorker(service: ServiceName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const replicas = this.pods.get(service);
    if (!replicas) return;
    await Promise.all(replicas.map((replica) => replica.stop(signal)));
    this.pods.delete(service);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.pods.keys()].map((service) => this.stopWorker(service)));
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
      ...databaseUrlEnv(this.databaseUrls),
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
