import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import type { ServiceName } from '../../workflows/task-queues';
import { startTracing, type Tracing } from './tracing';

/**
 * Tracing for a service's worker: a span per activity, continuing the trace its workflow sent in
 * the headers, and the exporter sink through which the bundle's workflow interceptors
 * (tracing-workflow-interceptors.ts) hand over their spans. The plugin is there even when nothing
 * is exported: the bundle always calls that sink.
 */
export function startWorkerTracing(service: ServiceName): Tracing & { plugin: OpenTelemetryPlugin } {
  const tracing = startTracing(`${service}-worker`);
  return { ...tracing, plugin: new OpenTelemetryPlugin({ resource: tracing.resource, spanProcessor: tracing.spanProcessor }) };
}
