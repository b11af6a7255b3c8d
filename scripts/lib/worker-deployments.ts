import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

// A rollout's moves, through the client API; each is one `temporal worker deployment …` or
// `temporal workflow update-options` command of the CLI.

const { PINNED_OVERRIDE_BEHAVIOR_PINNED } = temporal.api.workflow.v1.VersioningOverride.PinnedOverrideBehavior;

/** Makes `version` the one new workflows (and auto-upgrade ones) go to: `temporal worker deployment set-current-version`. */
export async function setCurrentVersion(client: Client, version: WorkerDeploymentVersion): Promise<void> {
  await client.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: client.options.namespace,
    ...version,
    identity: 'rollout',
  });
}

/** Sends `percentage` of new workflows to `version` (0 and no build id: no ramp): `temporal worker deployment set-ramping-version`. */
export async function setRampingVersion(client: Client, version: WorkerDeploymentVersion, percentage: number): Promise<void> {
  await client.workflowService.setWorkerDeploymentRampingVersion({
    namespace: client.options.namespace,
    ...version,
    percentage,
    identity: 'rollout',
  });
}

/** Ends a ramp, so every new workflow goes to the current version again: `temporal worker deployment set-ramping-version --delete`. */
export const stopRamp = (client: Client, deploymentName: string): Promise<void> =>
  setRampingVersion(client, { deploymentName, buildId: '' }, 0);

/** The deployment's current and ramping build ids, and the ramp's percentage: `temporal worker deployment describe`. */
export async function routing(client: Client, deploymentName: string): Promise<{ current?: string; ramping?: string; percentage: number }> {
  const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({
    namespace: client.options.namespace,
    deploymentName,
  });
  const config = workerDeploymentInfo?.routingConfig;
  return {
    current: config?.currentDeploymentVersion?.buildId || undefined,
    ramping: config?.rampingDeploymentVersion?.buildId || undefined,
    percentage: config?.rampingVersionPercentage ?? 0,
  };
}

/**
 * Resolves once the server knows `version`, that is once one of its workers has polled: until then
 * it can be neither current nor ramping. Rejects after `timeoutMs`.
 */
export async function untilVersionKnown(client: Client, version: WorkerDeploymentVersion, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ; await sleep(200)) {
    const known = await client.workflowService
      .describeWorkerDeployment({ namespace: client.options.namespace, deploymentName: version.deploymentName })
      .then(({ workerDeploymentInfo }) =>
        workerDeploymentInfo?.versionSummaries?.some((v) => v.deploymentVersion?.buildId === version.buildId),
      )
      .catch(() => false);
    if (known) return;
    if (Date.now() > deadline)
      throw new Error(`version ${version.buildId} of ${version.deploymentName} not seen polling within ${timeoutMs / 1000}s`);
  }
}

/** The build id a workflow runs on (a pinned one, the build it is pinned to); undefined before its first workflow task. */
export async function workflowBuildId(client: Client, workflowId: string): Promise<string | undefined> {
  const { raw } = await client.workflow.getHandle(workflowId).describe();
  const info = raw.workflowExecutionInfo?.versioningInfo;
  return info?.versioningOverride?.pinned?.version?.buildId || info?.deploymentVersion?.buildId || undefined;
}

/** Pins a workflow to another version, e.g. off a rolled-back build: `temporal workflow update-options --versioning-override-behavior pinned`. */
export async function moveToVersion(client: Client, workflowId: string, version: WorkerDeploymentVersion): Promise<void> {
  await client.workflowService.updateWorkflowExecutionOptions({
    namespace: client.options.namespace,
    workflowExecution: { workflowId },
    workflowExecutionOptions: { versioningOverride: { pinned: { behavior: PINNED_OVERRIDE_BEHAVIOR_PINNED, version } } },
    updateMask: { paths: ['versioning_override'] },
  });
}
