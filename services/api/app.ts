import Fastify, { type FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { pinoOptions } from '../common/logging';
import { carrierRoutes } from './carrier-routes';
import { catalogRoutes } from './catalog-routes';
import { codecRoutes } from './codec-routes';
import type { ApiContext } from './context';
import { registerDocs } from './docs';
import { registerErrorHandling } from './errors';
import { orderLinker } from './links';
import { registerMetrics } from './metrics';
import { orderActionsRoutes } from './order-actions-routes';
import { orderEventsRoutes } from './order-events-routes';
import { orderHistoryRoutes } from './order-history-routes';
import { orderMapRoutes } from './order-map-routes';
import { ordersRoutes } from './orders-routes';
import { QuietRequestLog } from './request-log';
import { errorReplies, errorSchema } from './schemas';
import { registerSecurity } from './security';
import { temporalCaller } from './temporal-calls';
import type { ApiTypeProvider } from './type-provider';
import { registerValidation } from './validation';
import { webRoutes } from './web-routes';

export interface AppOptions {
  client: Client;
  /** Base URL of the Temporal Web UI, for links. */
  uiUrl: string;
  logLevel?: string;
  /** Where the JSON log lines go; stdout by default. */
  logStream?: NodeJS.WritableStream;
  /** Required in x-api-key on POST routes: one key, or several during a rotation; none turns the check off. */
  apiKey?: string | readonly string[];
  corsOrigins?: string[];
  /** The payload codec the codec server (/codec/*) runs; without one there is no codec server. */
  codec?: PayloadCodec;
  /** Origins of the Temporal Web UI, allowed to call the codec server from a browser. */
  codecCorsOrigins?: string[];
  /** Fastify's trustProxy: behind a proxy, the client's address (rate limit, logs) comes from X-Forwarded-For. */
  trustProxy?: boolean | number | string[];
  rateLimit?: { max: number; windowMs: number };
  bodyLimitBytes?: number;
  /** Deadline of each call to Temporal. */
  temporalTimeoutMs?: number;
  /** Deadline of the status query, well under temporalTimeoutMs; by default a third of it, at most 1s. */
  statusQueryTimeoutMs?: number;
  /** How often an SSE stream polls the order. */
  eventsPollMs?: number;
}

// The readiness probe times out after 2s (k8s/base/api.yaml): with one retry backoff step on top
// of this deadline, the answer still comes in time.
const READY_TIMEOUT_MS = 800;

/** Builds the API. Tests call `inject` on it; server.ts makes it listen. The defaults suit a laptop and the tests. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const {
    client,
    uiUrl,
    logLevel = 'info',
    corsOrigins = [],
    codecCorsOrigins = ['http://localhost:8233'],
    bodyLimitBytes = 64 * 1024,
    temporalTimeoutMs = 5000,
  } = options;
  const apiKeys = [options.apiKey ?? []].flat().filter(Boolean);
  const app = Fastify({
    logger: { ...pinoOptions('api', logLevel), ...(options.logStream && { stream: options.logStream }) },
    logController: new QuietRequestLog(),
    bodyLimit: bodyLimitBytes,
    trustProxy: trustProxyOption(options.trustProxy ?? false),
  }).withTypeProvider<ApiTypeProvider>();
  app.addSchema(errorSchema);
  registerValidation(app);
  registerErrorHandling(app);
  registerMetrics(app);
  await registerSecurity(app, { apiKeys, corsOrigins, codecCorsOrigins, rateLimit: options.rateLimit ?? { max: 600, windowMs: 60_000 } });
  await registerDocs(app, { apiKeyRequired: apiKeys.length > 0 });

  const context: ApiContext = {
    client,
    call: temporalCaller(client, temporalTimeoutMs),
    timeoutMs: temporalTimeoutMs,
    queryTimeoutMs: options.statusQueryTimeoutMs ?? Math.min(1000, Math.floor(temporalTimeoutMs / 3)),
    links: orderLinker(uiUrl, client.options.namespace),
  };

  // Probes describe the process as a whole, so they live with the factory.
  const probe = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } as const;
  app.get('/healthz', { schema: { summary: 'Liveness: the process answers', tags: ['health'], response: { 200: probe } } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    {
      schema: { summary: 'Readiness: Temporal answers within a second', tags: ['health'], response: { 200: probe, ...errorReplies(503) } },
    },
    async () => {
      await context.call(() => client.workflowService.describeNamespace({ namespace: client.options.namespace }), READY_TIMEOUT_MS);
      return { status: 'ready' };
    },
  );

  await app.register(ordersRoutes, context);
  await app.register(orderActionsRoutes, context);
  await app.register(orderHistoryRoutes, context);
  await app.register(orderMapRoutes, context);
  await app.register(orderEventsRoutes, { ...context, pollMs: options.eventsPollMs ?? 300 });
  await app.register(carrierRoutes, context);
  await app.register(catalogRoutes, context);
  if (options.codec) await app.register(codecRoutes, { codec: options.codec });
  await app.register(webRoutes);
  return app;
}

/** A hop count trusts that many proxies in front of the API (Fastify's types name no number). */
const trustProxyOption = (trust: boolean | number | string[]) =>
  typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
