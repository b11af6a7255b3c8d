import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { projectRoot } from '../common/paths';
import type { ApiInstance } from './type-provider';

/** The pages' built assets (npm run build: web/ into dist/web). */
export const webAssetsPath = path.join(projectRoot, 'dist', 'web');

/** The web pages under /app/, and / sends a person to the shop. */
export async function webRoutes(app: ApiInstance): Promise<void> {
  await app.register(fastifyStatic, { root: webAssetsPath, prefix: '/app/', redirect: true });
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/'));
}
