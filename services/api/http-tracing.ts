import { FastifyOtelInstrumentation } from '@fastify/otel';
import { startTracing, type Tracing } from '../common/tracing';

const PROBES = new Set(['/healthz', '/readyz']);

/**
 * Tracing for the API: when spans are exported, each request is a span (the root of an order's
 * trace for POST /orders) and its handler runs with that span active, so the Temporal client's
 * calls are its children. Fastify's own instrumentation adds itself to every Fastify instance
 * created after this call. The probes are left out (they would be most of the traces), and so are
 * the hooks' spans (a dozen per request, from the plugins, saying little about an order).
 */
export function startApiTracing(): Tracing {
  const tracing = startTracing('api');
  if (tracing.exporting) {
    new FastifyOtelInstrumentation({ registerOnInitialization: true, instrumentHooks: false, ignorePaths: ({ url }) => PROBES.has(url) });
  }
  return tracing;
}
