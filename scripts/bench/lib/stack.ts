import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { EncryptionKeyring } from '../../../services/common/encryption-keys';
import { connectTemporalClient } from '../../../services/common/temporal-connection';
import { SERVICES } from '../../../workflows/task-queues';
import { freePort, startDevServer, type DevServer } from '../../lib/dev-server';
import { ServiceProcess, type ServiceKind } from '../../lib/launcher';
import { exited } from '../../lib/processes';
import type { RestartPolicy } from '../../lib/restart-policy';

// The real system for a benchmark: a dev server of its own (its data in a file, so it can be
// killed and restarted), one process per worker and the API, started with the one launcher,
// every store in a fresh data folder, on loopback only.

export interface BenchStackOptions {
  restart: 'never' | RestartPolicy;
  /** Extra environment for every worker and the API. */
  env?: NodeJS.ProcessEnv;
  say: (line: string) => void;
}

const NAMESPACE = 'default';

export class BenchStack {
  private constructor(
    readonly dataDir: string,
    readonly apiUrl: string,
    readonly client: Client,
    readonly workers: ServiceProcess[],
    readonly api: ServiceProcess,
    private devServer: DevServer,
    private readonly restartServer: () => Promise<DevServer>,
    private readonly connection: Connection,
  ) {}

  static async start({ restart, env = {}, say }: BenchStackOptions): Promise<BenchStack> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stack-'));
    const port = await freePort();
    const startServer = () => startDevServer({ port, dbFile: path.join(dataDir, 'temporal.db'), namespaces: [NAMESPACE] });
    const server = await startServer();
    const apiPort = await freePort();
    const processEnv = {
      TEMPORAL_ADDRESS: server.address,
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
    const launch = (service: ServiceKind, port?: number) =>
      new ServiceProcess({
        service,
        port,
        env: processEnv,
        output: { logFile: path.join(dataDir, 'logs', `${service}.log`) },
        restart,
        notify: say,
      });
    const workers = SERVICES.map((service) => launch(service));
    const api = launch('api', apiPort);
    await Promise.all([...workers, api].map((process) => process.start()));
    const { client, connection } = await connectTemporalClient({
      address: server.address,
      namespace: NAMESPACE,
      ...(env.ENCRYPTION_KEYS && { keyring: EncryptionKeyring.parse(env.ENCRYPTION_KEYS, 'ENCRYPTION_KEYS') }),
    });
    return new BenchStack(dataDir, `http://127.0.0.1:${apiPort}`, client, workers, api, server, startServer, connection);
  }

  /** The dev server of the run (the current one, after a crash). */
  get server(): DevServer {
    return this.devServer;
  }

  /** SIGKILLs the Temporal server, starts it again on the same file and port, and resolves with the milliseconds it was away. */
  async crashTemporal(): Promise<number> {
    const killedAt = performance.now();
    this.devServer.process.kill('SIGKILL');
    await exited(this.devServer.process);
    this.devServer = await this.restartServer();
    return performance.now() - killedAt;
  }

  /** Stops the API, the workers (they drain), then Temporal, and deletes the data folder. */
  async stop(): Promise<void> {
    await this.api.stop();
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await this.connection.close();
    await this.devServer.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
