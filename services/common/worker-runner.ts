import { setTimeout as sleep } from 'node:timers/promises';
import { NativeConnection, Runtime, TransportError, Worker, type Logger, type WorkerPlugin } from '@temporalio/worker';
import { TaskQueues, type ServiceName } from '../../workflows/task-queues';
import { ConfigurationError, reportStartFailure, workerConfig } from './config';
import { startHealthServer } from './health';
import { coreLogsAsJson, WorkerLogger } from './logging';
import { workerPrometheusMetrics } from './worker-metrics';
import { temporalRefusal } from './temporal-refusal';
import { temporalConnectionConfig, temporalDataConverter, type TemporalConnectionOptions } from './temporal-connection';
import { startWorkerTracing } from './tracing-worker';
import { applyVersionRollout, versionedWorkerOptions, workerVersion } from './worker-versioning';

export interface ServiceWorkerOptions {
  /** The service's activities, if it has any. */
  activities?: object;
  /** Whether this service runs workflows (from the bundle) on its task queue. */
  runsWorkflows?: boolean;
  /** Runs after the connection is made and before polling starts, e.g. to create a schedule. */
  beforeStart?: () => Promise<void>;
  /** Called once the worker has drained, to close the service's store. */
  onStopped?: () => void;
  /** Whether what the worker depends on besides Temporal (its database) answers; /readyz is 503 while it does not. */
  isHealthy?: () => boolean;
}

const preloadedPlugins: WorkerPlugin[] = [];

/**
 * Adds a plugin to every worker this process runs. It is for modules preloaded with
 * `node --require`, so a worker can be extended without changing its code: the live demo
 * injects its faults this way (scripts/demo/faults).
 */
export function addWorkerPlugin(plugin: WorkerPlugin): void {
  preloadedPlugins.push(plugin);
}

/**
 * Starts a service's worker process. `setup` opens what the worker needs (its store) and returns
 * the worker's options. A failure to start or to run ends the process with exit code 1: one line
 * when it is a setting (a ConfigurationError), the whole error otherwise.
 */
export function startServiceWorker(service: ServiceName, setup: () => ServiceWorkerOptions | Promise<ServiceWorkerOptions>): void {
  const start = async () => runServiceWorker(service, await setup());
  start().catch((err) => {
    reportStartFailure(`${service} worker`, err);
    process.exit(1);
  });
}

/**
 * Runs one service's worker on that service's task queue until SIGINT or SIGTERM, then drains:
 * it stops polling, lets running activities finish within the grace time, and exits. It waits
 * for Temporal at start; until the worker polls, /readyz answers 503.
 */
export async function runServiceWorker(
  service: ServiceName,
  { activities, runsWorkflows = false, beforeStart, onStopped, isHealthy }: ServiceWorkerOptions,
): Promise<void> {
  const config = workerConfig();
  const temporal = temporalConnectionConfig();
  const dataConverter = temporalDataConverter();
  const tracing = startWorkerTracing(service);
  // Signals are handled below: a running worker drains; one not yet polling has nothing to drain, so it exits at once.
  Runtime.install({
    logger: new WorkerLogger(service, config.logLevel),
    shutdownSignals: [],
    telemetryOptions: {
      logging: coreLogsAsJson,
      ...(config.metricsAddress && { metrics: workerPrometheusMetrics(config.metricsAddress) }),
    },
  });
  const log = Runtime.instance().logger;
  const version = workerVersion(service);
  let worker: Worker | undefined;
  const stopRollout = new AbortController();
  let rolledOut = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => (worker?.getState() === 'RUNNING' ? worker.shutdown() : process.exit(0)));
  const health =
    config.healthPort === undefined
      ? undefined
      : startHealthServer(config.healthPort, () => worker?.getState() === 'RUNNING' && rolledOut && (isHealthy?.() ?? true));

  const connection = await connectWhenReachable(temporal.connectionOptions, log);
  if (!dataConverter.payloadCodecs) log.warn('ENCRYPTION_KEYS is unset: payloads, PII included, are stored in Temporal in plaintext');
  try {
    worker = await Worker.create({
      connection,
      namespace: temporal.namespace,
      dataConverter,
      taskQueue: TaskQueues[service],
      activities,
      ...(runsWorkflows && { workflowBundle: { codePath: tracing.workflowBundlePath } }),
      shutdownGraceTime: config.shutdownGraceTime,
      maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
      // A workflow task waits this long for the worker that cached its workflow before any worker
      // may take it (and replay). Short, so a crashed orders worker delays its orders by seconds.
      stickyQueueScheduleToStartTimeout: '2s',
      plugins: [...preloadedPlugins, ...tracing.plugins],
      ...versionedWorkerOptions(version),
    });
    await beforeStart?.();
    log.info(`${service} worker polling task queue "${TaskQueues[service]}" as version ${version.buildId}`, {
      address: temporal.connectionOptions.address,
    });
    const running = worker.run();
    // After the first poll, as the server knows a version only once it is polled; ready once it may take tasks.
    void applyVersionRollout(connection, temporal.namespace, version, log, stopRollout.signal).then(() => (rolledOut = true));
    await running;
  } finally {
    stopRollout.abort();
    health?.close();
    await connection.close();
    onStopped?.();
    await tracing.shutdown();
    log.info(`${service} worker stopped`);
  }
}

/**
 * Connects to Temporal, retrying with backoff while it is unreachable (not yet started, restarting,
 * its DNS name not yet known), with one line per attempt, so a worker never crash-loops on it. A
 * server that answers and refuses the connection (TLS, client certificate) is a ConfigurationError.
 */
async function connectWhenReachable(options: TemporalConnectionOptions, log: Logger): Promise<NativeConnection> {
  const { address } = options;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await NativeConnection.connect(options);
    } catch (err) {
      if (err instanceof TypeError) throw new ConfigurationError(`TEMPORAL_ADDRESS: ${err.message}`);
      if (!(err instanceof TransportError)) throw err;
      const refusal = temporalRefusal(err, options);
      if (refusal) throw refusal;
      const delayMs = Math.min(500 * 2 ** (attempt - 1), 10_000);
      const reason = /(?:message|error): "([^"]+)"/.exec(err.message)?.[1] ?? err.message;
      log.warn(`Temporal is not reachable at ${address} (${reason}); attempt ${attempt}, trying again in ${delayMs / 1000}s`);
      await sleep(delayMs);
    }
  }
}
