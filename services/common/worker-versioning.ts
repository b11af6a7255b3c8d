import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { Logger, NativeConnection, WorkerOptions } from '@temporalio/worker';
import type { ServiceName } from '../../workflows/task-queues';
import { versioningConfig, type VersionRollout } from './config';
import { projectRoot } from './paths';

// Worker Versioning: each service is a Worker Deployment of its own, and each build of it a
// version. Temporal routes a workflow's tasks to the version it is pinned to, or else to the
// deployment's current (or ramping) version; a worker of any other version gets none.

/** The Worker Deployment of a service: one per service, as each team deploys its own. */
export const deploymentName = (service: ServiceName): string => `order-processing-${service}`;

/** This build's id: WORKER_BUILD_ID (the image tag), else the git commit checked out, else "dev". */
export function buildId(): string {
  const configured = versioningConfig().buildId;
  if (configured) return configured;
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'ignore'] });
    return commit.toString().trim() || 'dev';
  } catch {
    return 'dev';
  }
}

/** The version this process's worker of `service` runs as. */
export const workerVersion = (service: ServiceName): WorkerDeploymentVersion => ({
  deploymentName: deploymentName(service),
  buildId: buildId(),
});

/**
 * The Worker options that make a worker versioned. A workflow type declares its own behaviour
 * (setWorkflowOptions in workflows/); one that does not is pinned, the safe default.
 */
export const versionedWorkerOptions = (version: WorkerDeploymentVersion): Pick<WorkerOptions, 'workerDeploymentOptions'> => ({
  workerDeploymentOptions: { useWorkerVersioning: true, version, defaultVersioningBehavior: 'PINNED' },
});

/**
 * Applies WORKER_VERSION_ROLLOUT once the worker polls (a version exists on the server only then):
 * "bootstrap" makes this version current if the deployment has no current version yet, so a first
 * deploy runs; "always" makes it current whatever runs now (a local run with one build);
 * "manual" leaves it to whoever rolls out (a person, the CLI, the Temporal Worker Controller).
 * Retries while the server does not know the version yet or is unreachable, until `signal` aborts (the worker stops).
 */
export async function applyVersionRollout(
  connection: NativeConnection,
  namespace: string,
  version: WorkerDeploymentVersion,
  log: Logger,
  signal: AbortSignal,
  rollout: VersionRollout = versioningConfig().rollout,
): Promise<void> {
  if (rollout === 'manual') return;
  const service = connection.workflowService;
  for (let attempt = 1; !signal.aborted; attempt += 1) {
    try {
      if (rollout === 'bootstrap') {
        const current = await currentBuildId(connection, namespace, version.deploymentName);
        if (current !== undefined) {
          if (current !== version.buildId)
            log.info(`worker version ${version.buildId} is not current (${current} is): it runs only the workflows routed to it`);
          return;
        }
      }
      await service.setWorkerDeploymentCurrentVersion({ namespace, ...version, identity: `rollout ${rollout}` });
      log.info(`worker version ${version.deploymentName} ${version.buildId} set current (WORKER_VERSION_ROLLOUT=${rollout})`);
      return;
    } catch (err) {
      // Until the first poll reaches the server, it does not know this version.
      if (attempt % 20 === 0) log.warn(`could not set worker version ${version.buildId} current yet: ${(err as Error).message}`);
      await sleep(Math.min(50 * attempt, 1_000), undefined, { signal }).catch(() => undefined);
    }
  }
}

const GRPC_NOT_FOUND = 5;

/** The build id of a deployment's current version; undefined when it has none (or does not exist yet). */
async function currentBuildId(connection: NativeConnection, namespace: string, name: string): Promise<string | undefined> {
  try {
    const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({ namespace, deploymentName: name });
    return workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId || undefined;
  } catch (err) {
    if ((err as { code?: number }).code === GRPC_NOT_FOUND) return undefined;
    throw err;
  }
}
