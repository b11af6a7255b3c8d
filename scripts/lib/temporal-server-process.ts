import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { grpc } from '@temporalio/proto';
import { ComposeServiceDefinition } from './compose-file';
import { freePort } from './dev-server';
import type { PostgresServer } from './postgres';
import { isRunning, stopProcess } from './processes';
import { clientTlsConfig, serverTlsEnvironment, type TemporalServerTls } from './temporal-server-tls';

const { ServingStatus } = grpc.health.v1.HealthCheckResponse;

// Every port of the four services in one process, as variables of the server's embedded config
// template: compose leaves them at their defaults, here each is a free one on loopback.
const GRPC_PORTS = ['FRONTEND_GRPC_PORT', 'FRONTEND_HTTP_PORT', 'HISTORY_GRPC_PORT', 'MATCHING_GRPC_PORT', 'WORKER_GRPC_PORT'] as const;
const MEMBERSHIP_PORTS = [
  'FRONTEND_MEMBERSHIP_PORT',
  'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_MEMBERSHIP_PORT',
  'WORKER_MEMBERSHIP_PORT',
] as const;

// The schema keeps a membership port in a SMALLINT column (cluster_membership.rpc_port), so it
// must be below 32768, under the kernel's range of ephemeral ports that a free port comes from.
const MEMBERSHIP_PORT_RANGE = { from: 20_000, to: 32_767 };

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 30_000;
const HOST = '127.0.0.1';

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer().once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** `count` distinct free ports: from the ephemeral range, or picked at random in `range`. */
async function freePorts(count: number, range?: { from: number; to: number }): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    if (!range) ports.add(await freePort());
    else {
      const candidate = range.from + Math.floor(Math.random() * (range.to - range.from + 1));
      if (await isFree(candidate)) ports.add(candidate);
    }
  }
  return [...ports];
}

/**
 * The Temporal server as compose's `temporal` service runs it: `temporal-server start` with no
 * config file, so the binary renders its embedded config template from the environment, with
 * compose's variables. Only the addresses differ: PostgreSQL and every port are this machine's.
 */
export class TemporalServerProcess {
  private child?: ChildProcess;

  private constructor(
    private readonly binary: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    readonly address: string,
    private readonly tls?: TemporalServerTls,
  ) {}

  static async create({
    binary,
    postgres,
    logFile,
    tls,
  }: {
    binary: string;
    postgres: PostgresServer;
    logFile: string;
    /** Serves mTLS on the frontend (and between the server's own services) when given. */
    tls?: TemporalServerTls;
  }): Promise<TemporalServerProcess> {
    const composed = ComposeServiceDefinition.read('temporal');
    const superuser = new URL(postgres.url());
    const [prometheusPort, ...grpcPorts] = await freePorts(GRPC_PORTS.length + 1);
    const membershipPorts = await freePorts(MEMBERSHIP_PORTS.length, MEMBERSHIP_PORT_RANGE);
    const servicePorts = {
      ...Object.fromEntries(GRPC_PORTS.map((name, i) => [name, String(grpcPorts[i])])),
      ...Object.fromEntries(MEMBERSHIP_PORTS.map((name, i) => [name, String(membershipPorts[i])])),
    };
    const env = {
      ...composed.environment,
      POSTGRES_SEEDS: postgres.host,
      DB_PORT: String(postgres.port),
      POSTGRES_USER: decodeURIComponent(superuser.username),
      POSTGRES_PWD: decodeURIComponent(superuser.password),
      BIND_ON_IP: HOST,
      DYNAMIC_CONFIG_FILE_PATH: composed.hostPath(composed.environment.DYNAMIC_CONFIG_FILE_PATH),
      PROMETHEUS_ENDPOINT: `${HOST}:${prometheusPort}`,
      ...servicePorts,
      ...(tls && serverTlsEnvironment(tls)),
      PATH: process.env.PATH,
      HOME: process.env.HOME,
    };
    return new TemporalServerProcess(binary, env, logFile, `${HOST}:${servicePorts.FRONTEND_GRPC_PORT}`, tls);
  }

  /** Starts the server and resolves once its frontend reports SERVING; rejects, with the end of its log, if it exits first. */
  async start(): Promise<void> {
    const log = fs.openSync(this.logFile, 'a');
    const child = spawn(this.binary, ['start'], { env: this.env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.child = child;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (let lastError: unknown; ; await sleep(250)) {
      if (!isRunning(child))
        throw new Error(
          `the Temporal server exited with ${child.exitCode ?? child.signalCode} before it served; the end of ${this.logFile}:\n${this.logTail()}`,
        );
      if (Date.now() > deadline)
        throw new Error(`the Temporal server did not serve at ${this.address} within ${READY_TIMEOUT_MS / 1000}s: ${lastError}`);
      try {
        if (await this.serving()) return;
      } catch (err) {
        lastError = err;
      }
    }
  }

  /** Stops the server: SIGTERM shuts it down cleanly, SIGKILL is a crash. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child) await stopProcess(this.child, STOP_GRACE_MS, signal);
  }

  /** Whether the frontend's gRPC health check says SERVING, as `temporal operator cluster health` asks. */
  private async serving(): Promise<boolean> {
    const connection = await Connection.connect({
      address: this.address,
      connectTimeout: 1_000,
      ...(this.tls && { tls: clientTlsConfig(this.tls) }),
    });
    try {
      const { status } = await connection.healthService.check({ service: 'temporal.api.workflowservice.v1.WorkflowService' });
      return status === ServingStatus.SERVING;
    } finally {
      await connection.close();
    }
  }

  private logTail(): string {
    return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-30).join('\n');
  }
}
