import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { ApiError } from './errors';

export interface SecurityOptions {
  /** The key mutating routes require in x-api-key; undefined turns the check off. */
  apiKey?: string;
  /** Origins allowed to call the API from a browser; empty: no CORS headers at all (same-origin only). */
  corsOrigins: string[];
  rateLimit: { max: number; windowMs: number };
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Probes are called by the platform every few seconds: never limited, never keyed. */
export const PROBE_PATHS = new Set(['/healthz', '/readyz']);

const sameKey = (given: string, expected: Buffer): boolean => {
  const candidate = Buffer.from(given);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
};

/** Security headers, CORS, rate limiting and the API key, in the order a request meets them. */
export async function registerSecurity(app: FastifyInstance, { apiKey, corsOrigins, rateLimit: limit }: SecurityOptions): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // Swagger UI (/docs) is the only page served; it needs its own scripts and inline styles,
        // and no third-party validator badge.
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // The API is served over plain HTTP behind a TLS-terminating proxy, or locally; upgrading would break /docs there.
        upgradeInsecureRequests: null,
      },
    },
  });

  await app.register(cors, {
    origin: corsOrigins.length > 0 ? corsOrigins : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'x-api-key', 'idempotency-key'],
    exposedHeaders: ['location', 'idempotent-replayed', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
    maxAge: 600,
  });

  await app.register(rateLimit, {
    max: limit.max,
    timeWindow: limit.windowMs,
    allowList: (request) => PROBE_PATHS.has(request.url.split('?')[0]),
    errorResponseBuilder: (_request, context) => new ApiError(context.statusCode, `rate limit exceeded: at most ${context.max} requests per ${limit.windowMs / 1000}s; retry in ${context.after}`),
  });

  if (apiKey !== undefined) {
    const expected = Buffer.from(apiKey);
    app.addHook('onRequest', async (request) => {
      if (!MUTATING.has(request.method)) return;
      const given = request.headers['x-api-key'];
      if (typeof given !== 'string' || !sameKey(given, expected)) throw new ApiError(401, 'a valid x-api-key header is required');
    });
  }
}
