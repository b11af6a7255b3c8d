import type { Client } from '@temporalio/client';
import { deploymentName } from '../../services/common/worker-versioning';
import { orderWorkflowId } from '../../workflows/ids';
import { moveToVersion, routing, setCurrentVersion, setRampingVersion, stopRamp, untilVersionKnown } from '../lib/worker-deployments';
import type { Snapshot } from './observer';
import type { Scene, Spotlight, Watch } from './scenes';

// Worker Versioning in the live demo: a second build of the orders worker, the bugged one, takes a
// ramp's share of the new orders; they stall there, and only they do. Rolling back is one command;
// the stalled orders are then moved to the good build, which replays their history and carries on.

/** The share of new orders the new build gets. */
const RAMP_PERCENT = 30;

const ORDERS = deploymentName('orders');
const GRPC_NOT_FOUND = 5;

/** What the two scenes share: the builds, and which build each order of the run landed on. */
interface Rollout {
  skipped?: string;
  good: string;
  bad: string;
  /** Every order seen, by workflow id, with the build it runs on (undefined: no workflow task done yet). */
  landed: Map<string, string | undefined>;
  /** The orders started while the ramp was on: "new" orders, as opposed to those already pinned. */
  sinceRamp: Set<string>;
  moved: Set<string>;
}

/** "New version, ramped" then "Rolled back": one rollout, in two scenes. */
export function versionRollbackScenes(): Scene[] {
  const rollout: Rollout = { good: '', bad: '', landed: new Map(), sinceRamp: new Set(), moved: new Set() };
  return [newVersionRamped(rollout), rolledBack(rollout)];
}

function newVersionRamped(rollout: Rollout): Scene {
  return {
    title: 'New version, ramped',
    narration: `A new build of the orders worker starts beside the old one; it is the build with the workflow-code bug. The new version is ramped at ${RAMP_PERCENT}%: that share of new orders lands on it and stalls there; the rest, and every order already running, stay on the old version.`,
    kind: 'hold',
    play: async (stage) => {
      const { cluster, observer } = stage;
      if (!cluster.startOrdersBuild)
        return skip(
          rollout,
          'Skipped: this driver cannot run two builds side by side; on Kubernetes that is the Temporal Worker Controller (docs/deployment.md).',
        );
      const { current } = await routing(observer.client, ORDERS);
      if (!current) return skip(rollout, `Skipped: the ${ORDERS} deployment has no current version, so there is nothing to ramp from.`);
      rollout.good = current;
      rollout.bad = `${current}-next`;
      await cluster.startOrdersBuild(rollout.bad, true);
      await untilVersionKnown(observer.client, { deploymentName: ORDERS, buildId: rollout.bad });
      await setRampingVersion(observer.client, { deploymentName: ORDERS, buildId: rollout.bad }, RAMP_PERCENT);
      const rampedAt = new Date();
      // Orders placed before the ramp are not new ones, whichever build they land on.
      for (const workflowId of (await observer.snapshot()).running.keys()) rollout.landed.set(workflowId, undefined);
      return async () => {
        // Started since the ramp, not running now: an order on the current build may finish between two snapshots.
        await learnBuilds(observer.client, rollout, await observer.ordersStartedSince(rampedAt), rollout.sinceRamp);
        const onBad = [...rollout.sinceRamp].filter((id) => rollout.landed.get(id) === rollout.bad);
        const stalled = (await Promise.all(onBad.map((id) => workflowTaskAttempt(observer.client, id)))).filter((attempt) => attempt >= 2);
        const onGood = [...rollout.sinceRamp].filter((id) => rollout.landed.get(id) === rollout.good).length;
        return {
          lines: [
            `Ramping: ${RAMP_PERCENT}% of new orders to build ${rollout.bad} (bugged), the rest to ${rollout.good} (current).`,
            `${rollout.sinceRamp.size} new orders: ${onGood} on ${rollout.good}, ${onBad.length} on ${rollout.bad}, ${stalled.length} of them stalled there (workflow task failing).`,
            ...latestOrders(rollout),
          ],
          shown: stalled.length > 0,
          figures: {
            rampPercent: RAMP_PERCENT,
            newOrdersOnOldBuild: onGood,
            newOrdersOnNewBuild: onBad.length,
            stalledOnNewBuild: stalled.length,
          },
        };
      };
    },
  };
}

function rolledBack(rollout: Rollout): Scene {
  return {
    title: 'Rolled back',
    narration:
      'Rollback: the old version is set current, with the ramp at zero, and new orders flow on it again. The orders stalled on the bad build are moved to the old version (UpdateWorkflowExecutionOptions with a pinned override); it replays their history and they finish, charged once. The bad pod is stopped.',
    kind: 'recover',
    play: async (stage) => {
      const { cluster, observer } = stage;
      if (rollout.skipped) return skip(rollout, rollout.skipped);
      const rolledBackAt = Date.now();
      await setCurrentVersion(observer.client, { deploymentName: ORDERS, buildId: rollout.good });
      await stopRamp(observer.client, ORDERS);
      const rollbackMs = Date.now() - rolledBackAt;
      const afterRollback = new Set<string>();
      const moveStalled = async (now: Snapshot) => {
        const placedSince = await observer.ordersStartedSince(new Date(rolledBackAt));
        await learnBuilds(observer.client, rollout, [...now.running.keys(), ...placedSince], afterRollback);
        const stalled = [...rollout.landed].filter(([id, build]) => build === rollout.bad && now.running.has(id) && !rollout.moved.has(id));
        for (const [workflowId] of stalled) {
          // One the bad build finished (an order compensated before the bug) has nothing to move.
          const finished = await moveToVersion(observer.client, workflowId, { deploymentName: ORDERS, buildId: rollout.good }).then(
            () => false,
            (err: { code?: number }) => (err.code === GRPC_NOT_FOUND ? true : Promise.reject(err)),
          );
          if (!finished) rollout.moved.add(workflowId);
        }
      };
      await moveStalled(await observer.snapshot());
      await cluster.stopOrdersBuild?.(rollout.bad);
      let flowingAgainAfterMs: number | undefined;
      return async (now): Promise<Spotlight> => {
        await moveStalled(now);
        const touched = [...rollout.landed.values()].filter((build) => build === rollout.bad).length;
        const waiting = [...rollout.moved].filter((id) => now.running.has(id)).length;
        const finished = rollout.moved.size - waiting;
        if (flowingAgainAfterMs === undefined && (finished > 0 || rollout.moved.size === 0))
          flowingAgainAfterMs = Date.now() - rolledBackAt;
        // An order placed after the rollback that landed on the bad build would be a failed rollback.
        const newOnBad = [...afterRollback].filter((id) => !rollout.moved.has(id) && rollout.landed.get(id) === rollout.bad).length;
        return {
          lines: [
            `Rolled back in ${rollbackMs} ms: ${rollout.good} is current, no ramp (temporal worker deployment set-current-version, set-ramping-version --delete).`,
            `The bad build touched ${touched} orders; ${rollout.moved.size} moved to ${rollout.good} (temporal workflow update-options), ${finished} of them finished.`,
            flowingAgainAfterMs === undefined
              ? 'Waiting for the first moved order to finish…'
              : `Orders flowed again ${(flowingAgainAfterMs / 1000).toFixed(1)}s after the rollback.`,
            `Orders placed since the rollback: ${afterRollback.size}, on the bad build: ${newOnBad}.`,
          ],
          shown: waiting === 0 && flowingAgainAfterMs !== undefined,
          figures: {
            touchedByBadBuild: touched,
            movedOrders: rollout.moved.size,
            rollbackCommandMs: rollbackMs,
            newOrdersOnBadBuildAfterRollback: newOnBad,
            ...(flowingAgainAfterMs !== undefined && { flowingAgainAfterMs }),
          },
        };
      };
    },
  };
}

function skip(rollout: Rollout, line: string): Watch {
  rollout.skipped = line;
  return async () => ({ lines: [line], shown: true, figures: {} });
}

/** Describes the orders of `ids` whose build is not known yet; adds the ones not seen before to `fresh`. */
async function learnBuilds(client: Client, rollout: Rollout, ids: string[], fresh: Set<string>): Promise<void> {
  const unknown = [...new Set(ids)].filter((id) => rollout.landed.get(id) === undefined);
  for (const id of unknown) if (!rollout.landed.has(id)) fresh.add(id);
  await Promise.all(unknown.map(async (id) => rollout.landed.set(id, await buildOf(client, id))));
}

async function buildOf(client: Client, workflowId: string): Promise<string | undefined> {
  const { raw } = await client.workflow.getHandle(workflowId).describe();
  return raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId || undefined;
}

async function workflowTaskAttempt(client: Client, workflowId: string): Promise<number> {
  return (await client.workflow.getHandle(workflowId).describe()).raw.pendingWorkflowTask?.attempt ?? 0;
}

/** The last few new orders, each with the build it landed on. */
function latestOrders(rollout: Rollout): string[] {
  const prefix = orderWorkflowId('').length;
  const latest = [...rollout.sinceRamp].slice(-6);
  return latest.map((id) => `  order ${id.slice(prefix)} → ${rollout.landed.get(id) ?? 'not started yet'}`);
}
