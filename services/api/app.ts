import Fastify, { type FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import { registerErrorHandling } from './errors';
import { ordersRoutes } from './orders-routes';
import { errorSchema } from './schemas';

export interface AppOptions {
  client: Client;
  uiUrl: string;
  logLevel?: string;
}

/** Builds the API. Tests call `inject` on it; server.ts makes it listen. */
export async function buildApp({ client, uiUrl, logLevel = 'info' }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: logLevel }, bodyLimit: 64 * 1024 });
  app.addSchema(errorSchema);
  registerErrorHandling(app);
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.register(ordersRoutes, { client, uiUrl });
  return app;
}
