import { detectResourcesSync, envDetectorSync, Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { tracingConfig } from './config';

// A process's OpenTelemetry tracing, configured by the standard OTEL_* variables: spans are
// exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
// if set too, overrides where traces go). Otherwise no provider is registered and every span is the API's no-op.

export interface Tracing {
  /** Whether spans leave the process. */
  exporting: boolean;
  /** Who the spans come from: service.name and the OTEL_RESOURCE_ATTRIBUTES. */
  resource: Resource;
  /** Where finished spans go: the OTLP exporter's batch, or nowhere. */
  spanProcessor: SpanProcessor;
  /** Exports the spans still in the batch, then stops; call it once the process has stopped its work. */
  shutdown: () => Promise<void>;
}

/**
 * Starts tracing for this process, its service.name `defaultServiceName` unless OTEL_SERVICE_NAME
 * says otherwise; the exporter, batch and sampler read OTEL_EXPORTER_OTLP_*, OTEL_BSP_* and OTEL_TRACES_SAMPLER.
 */
export function startTracing(defaultServiceName: string): Tracing {
  const resource = new Resource({ 'service.name': defaultServiceName }).merge(detectResourcesSync({ detectors: [envDetectorSync] }));
  if (!tracingConfig().otlpEndpoint)
    return { exporting: false, resource, spanProcessor: new NoopSpanProcessor(), shutdown: async () => {} };
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Global: the Temporal interceptors and Fastify's instrumentation find the tracer, context and propagator through @opentelemetry/api.
  provider.register();
  return { exporting: true, resource: provider.resource, spanProcessor, shutdown: () => provider.shutdown() };
}
