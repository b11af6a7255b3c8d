import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel, type WorkerPlugin } from '@temporalio/worker';
import { TaskQueues, type ServiceName } from '../../workflows/task-queues';
import { temporalConfig, workerConfig } from './config';
import { startHealthServer } from './health';
import { workflowBundlePath } from './paths';

export interface ServiceWorkerOptions {
  service: ServiceName;
  /** The service's activities, if it has any. */
  activities?: object;
  /** Whether this service runs workflows (from the bundle) on its task queue. */
  runsWorkflows?: boolean;
  /** Runs after the connection is made and before polling starts, e.g. to create a schedule. */
  beforeStart?: () => Promise<void>;
  /** Called once the worker has drained, to close the service's store. */
  onStopped?: () => void;
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

/** Starts a service's worker process; a failure to start or run it ends the process with exit code 1. */
export function startServiceWorker(options: ServiceWorkerOptions): void {
  runServiceWorker(options).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

/**
 * Runs one service's worker on that service's task queue until SIGINT or SIGTERM, then drains:
 * it stops polling, lets running activities finish within the grace time, and exits.
 */
export async function runServiceWorker({ service, activities, runsWorkflows = false, beforeStart, onStopped }: ServiceWorkerOptions): Promise<void> {
  const config = workerConfig();
  const temporal = temporalConfig();
  Runtime.install({
    logger: new DefaultLogger(config.logLevel.toUpperCase() as LogLevel),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    ...(config.metricsAddress && { telemetryOptions: { metrics: { prometheus: { bindAddress: config.metricsAddress } } } }),
  });

  const connection = await NativeConnection.connect({ address: temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: temporal.namespace,
    taskQueue: TaskQueues[service],
    activities,
    ...(runsWorkflows && { workflowBundle: { codePath: workflowBundlePath } }),
    shutdownGraceTime: config.shutdownGraceTime,
    plugins: preloadedPlugins,
  });
  await beforeStart?.();
  const health = config.healthPort === undefined ? undefined : startHealthServer(config.healthPort, () => worker.getState() === 'RUNNING');

  Runtime.instance().logger.info(`${service} worker polling task queue "${TaskQueues[service]}"`, { address: temporal.address });
  try {
    await worker.run();
  } finally {
    health?.close();
    await connection.close();
    onStopped?.();
    Runtime.instance().logger.info(`${service} worker stopped`);
  }
}
