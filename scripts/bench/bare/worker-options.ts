import type { WorkerOptions } from '@temporalio/worker';

type PollerBehavior = NonNullable<WorkerOptions['workflowTaskPollerBehavior']>;

// The worker options the benchmark can vary, read from the environment. With none of these set,
// the bare workers use exactly the options of services/common/worker-runner.ts.
//
//   BARE_WFT_POLLER, BARE_ACTIVITY_POLLER  "simple:<max>" or "autoscaling:<min>:<initial>:<max>"
//   BARE_STICKY_RATIO                      nonStickyToStickyPollRatio
//   BARE_MAX_CACHED_WORKFLOWS              maxCachedWorkflows (0 turns sticky execution off)
//   BARE_TASK_QUEUE_ACTIVITIES_PER_SECOND  maxTaskQueueActivitiesPerSecond

/** A poller behaviour written as "simple:<max>" or "autoscaling:<min>:<initial>:<max>". */
export function parsePollerBehavior(spec: string): PollerBehavior {
  const [type, ...numbers] = spec.split(':');
  const [a, b, c] = numbers.map(Number);
  if (type === 'simple' && numbers.length === 1) return { type: 'simple-maximum', maximum: a };
  if (type === 'autoscaling' && numbers.length === 3) return { type: 'autoscaling', minimum: a, initial: b, maximum: c };
  throw new Error(`a poller behaviour is "simple:<max>" or "autoscaling:<min>:<initial>:<max>", got "${spec}"`);
}

const numberFrom = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
};

/** The experimental options that are set, and only those. */
export function experimentalWorkerOptions(env: NodeJS.ProcessEnv = process.env): Partial<WorkerOptions> {
  const options: Partial<WorkerOptions> = {};
  if (env.BARE_WFT_POLLER) options.workflowTaskPollerBehavior = parsePollerBehavior(env.BARE_WFT_POLLER);
  if (env.BARE_ACTIVITY_POLLER) options.activityTaskPollerBehavior = parsePollerBehavior(env.BARE_ACTIVITY_POLLER);
  const stickyRatio = numberFrom('BARE_STICKY_RATIO');
  if (stickyRatio !== undefined) options.nonStickyToStickyPollRatio = stickyRatio;
  const maxCached = numberFrom('BARE_MAX_CACHED_WORKFLOWS');
  if (maxCached !== undefined) options.maxCachedWorkflows = maxCached;
  const perSecond = numberFrom('BARE_TASK_QUEUE_ACTIVITIES_PER_SECOND');
  if (perSecond !== undefined) options.maxTaskQueueActivitiesPerSecond = perSecond;
  return options;
}

/** The names of the BARE_* variables that are set, for the benchmark's header line. */
export const experimentalSettings = (env: NodeJS.ProcessEnv = process.env): string[] =>
  Object.entries(env)
    .filter(([name, value]) => name.startsWith('BARE_') && name !== 'BARE_WORKFLOW_BUNDLE' && value)
    .map(([name, value]) => `${name}=${value}`);
