import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import type { WorkerPlugin } from '@temporalio/worker';
import type { ServiceName } from '../../workflows/task-queues';
import { workflowBundlePaths } from './paths';
import { startTracing, type Tracing } from './tracing';

export interface WorkerTracing extends Tracing {
  /** The worker's tracing plugin, when it exports: a span per activity, and the sink the workflow spans leave through. */
  plugins: WorkerPlugin[];
  /** The workflow bundle to run: the one with the tracing workflow interceptors when spans are exported, else the one without. */
  workflowBundlePath: string;
}

/**
 * Tracing for a service's worker. When it exports spans: a span per activity, continuing the
 * trace its workflow sent in the headers, and the bundle whose workflow interceptors
 * (tracing-workflow-interceptors.ts) make a span per workflow run, activity and child start and
 * hand them to the plugin's exporter sink. When it does not, neither: spans that go nowhere
 * would cost the worker a quarter of its CPU per order.
 */
export function startWorkerTracing(service: ServiceName): WorkerTracing {
  const tracing = startTracing(`${service}-worker`);
  if (!tracing.exporting) return { ...tracing, plugins: [], workflowBundlePath: workflowBundlePaths.untraced };
  return {
    ...tracing,
    plugins: [new OpenTelemetryPlugin({ resource: tracing.resource, spanProcessor: tracing.spanProcessor })],
    workflowBundlePath: workflowBundlePaths.traced,
  };
}
