import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { EncryptionKeyring, newEncryptionKeySpec } from '../../../services/common/encryption-keys';
import { connectTemporalClient } from '../../../services/common/temporal-connection';
import { SERVICES, type ServiceName } from '../../../workflows/task-queues';
import { freePort, startDevServer, type DevServer } from '../../lib/dev-server';
import { ServiceProcess, startAll, type ServiceKind } from '../../lib/launcher';
import { exited } from '../../lib/processes';
import type { RestartPolicy } from '../../lib/restart-policy';

// The real system for a benchmark: a dev server of its own (its data in a file, so it can be
// killed and restarted) or a Temporal server given, one process per worker (or per replica) and
// the API, started with the one launcher, every store in a fresh data folder unless the env
// gives its database URL, payloads encrypted, on loopback only.

export interface BenchStackOptions {
  restart: 'never' | RestartPolicy;
  /** Extra environment for every worker and the API. */
  env?: NodeJS.ProcessEnv;
  say: (line: string) => void;
  /** A Temporal server to use, with the `default` namespace, instead of a dev server of the stack's own. */
  temporalAddress?: string;
  /** Worker processes per service; 1 where unset. */
  replicas?: Partial<Record<ServiceName, number>>;
  /** More `temporal server start-dev` arguments for the stack's own dev server, e.g. other SQLite pragmas. */
  serverArgs?: string[];
}

const NAMESPACE = 'default';

export class BenchStack {
  private constructor(
    readonly dataDir: string,
    readonly apiUrl: string,
    readonly client: Client,
    readonly workers: ServiceProcess[],
    readonly api: ServiceProcess,
    private devServer: DevServer | undefined,
    private readonly restartServer: (() => Promise<DevServer>) | undefined,
    private readonly connection: Connection,
  ) {}

  static async start({ restart, env = {}, say, temporalAddress, replicas = {}, serverArgs }: BenchStackOptions): Promise<BenchStack> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stack-'));
    const port = await freePort();
    const startServer = temporalAddress
      ? undefined
      : () => startDevServer({ port, dbFile: path.join(dataDir, 'temporal.db'), namespaces: [NAMESPACE], extraArgs: serverArgs });
    const server = await startServer?.();
    const address = temporalAddress ?? server!.address;
    const apiPort = await freePort();
    // Payloads encrypted, as npm start's are: with a key of the run's own unless the env gives keys ('' for none).
    const keys = env.ENCRYPTION_KEYS ?? newEncryptionKeySpec();
    const processEnv = {
      ENCRYPTION_KEYS: keys,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // The load comes from one address: the API's per-client limit would refuse it.
      RATE_LIMIT_MAX: '1000000',
      // No simulated gateway or carrier delays: the figures are Temporal's and this code's, as for the bare workflow.
      PAYMENT_GATEWAY_LATENCY_MS: '0',
      SHIPPING_TRANSIT_MS: '0',
      ...env,
    };
    const launch = (service: ServiceKind, port?: number, name: string = service) =>
      new ServiceProcess({
        service,
        name,
        port,
        env: processEnv,
        output: { logFile: path.join(dataDir, 'logs', `${name}.log`) },
        restart,
        notify: say,
      });
    const workers = SERVICES.flatMap((service) => {
      const count = replicas[service] ?? 1;
      return Array.from({ length: count }, (_, i) => launch(service, undefined, count > 1 ? `${service}-${i + 1}` : service));
    });
    const api = launch('api', apiPort);
    // If one fails, the data folder stays, for the log its error names.
    await startAll([...workers, api]).catch(async (err: unknown) => {
      await server?.stop();
      throw err;
    });
    const { client, connection } = await connectTemporalClient({
      address,
      namespace: NAMESPACE,
      ...(keys && { keyring: EncryptionKeyring.parse(keys, 'ENCRYPTION_KEYS') }),
    });
    return new BenchStack(dataDir, `http://127.0.0.1:${apiPort}`, client, workers, api, server, startServer, connection);
  }

  /** The dev server of the run (the current one, after a crash). */
  get server(): DevServer {
    if (!this.devServer) throw new Error('this stack runs on a Temporal server it was given, not a dev server of its own');
    return this.devServer;
  }

  /** SIGKILLs the Temporal server, starts it again on the same file and port, and resolves with the milliseconds it was away. */
  async crashTemporal(): Promise<number> {
    const killedAt = performance.now();
    this.server.process.kill('SIGKILL');
    await exited(this.server.process);
    this.devServer = await this.restartServer!();
    return performance.now() - killedAt;
  }

  /** Stops the API, the workers (they drain), then its dev server, and deletes the data folder. */
  async stop(): Promise<void> {
    await this.api.stop();
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await this.connection.close();
    await this.devServer?.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
