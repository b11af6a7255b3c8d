import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { ApiError } from './errors';

export interface SecurityOptions {
  /** The keys mutating routes accept in x-api-key (several during a rotation); none turns the check off. */
  apiKeys: readonly string[];
  /** Origins allowed to call the API from a browser; empty: no CORS headers at all (same-origin only). */
  corsOrigins: string[];
  /** Origins of the Temporal Web UI, allowed to call the codec server (/codec/*) from a browser. */
  codecCorsOrigins: string[];
  rateLimit: { max: number; windowMs: number };
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Probes are called by the platform every few seconds: never limited, never keyed. */
export const PROBE_PATHS = new Set(['/healthz', '/readyz']);

/** Where the codec server's routes live (services/api/codec-routes.ts). */
export const CODEC_PREFIX = '/codec/';

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/** Compares digests, which all have one length, so neither a key's content nor its length leaks through timing; every key is tried. */
const acceptedKey =
  (expected: readonly Buffer[]) =>
  (given: string | undefined): boolean => {
    if (given === undefined) return false;
    const candidate = digest(given);
    return expected.reduce((found, key) => timingSafeEqual(candidate, key) || found, false);
  };

/** The key a request presents: x-api-key, or an Authorization bearer token (what `temporal --codec-auth` sends). */
const presentedKey = (request: FastifyRequest): string | undefined => {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  return /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
};

/** Security headers, CORS, rate limiting and the API key, in the order a request meets them. */
export async function registerSecurity(
  app: FastifyInstance,
  { apiKeys, corsOrigins, codecCorsOrigins, rateLimit: limit }: SecurityOptions,
): Promise<void> {
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

  const apiCors: FastifyCorsOptions = {
    origin: corsOrigins.length > 0 ? corsOrigins : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'x-api-key', 'idempotency-key'],
    exposedHeaders: ['location', 'idempotent-replayed', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
    maxAge: 600,
  };
  // The Web UI calls the codec from the browser, with the namespace header, and with its cookies or token when so configured.
  const codecCors: FastifyCorsOptions = {
    origin: codecCorsOrigins.length > 0 ? codecCorsOrigins : false,
    methods: ['POST'],
    allowedHeaders: ['content-type', 'x-namespace', 'authorization', 'x-api-key'],
    credentials: true,
    maxAge: 600,
  };
  await app.register(cors, {
    delegator: (request, callback) => callback(null, request.url.startsWith(CODEC_PREFIX) ? codecCors : apiCors),
  });

  await app.register(rateLimit, {
    max: limit.max,
    timeWindow: limit.windowMs,
    allowList: (request) => PROBE_PATHS.has(request.url.split('?')[0]),
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        context.statusCode,
        `rate limit exceeded: at most ${context.max} requests per ${limit.windowMs / 1000}s; retry in ${context.after}`,
      ),
  });

  if (apiKeys.length > 0) {
    const accepted = acceptedKey(apiKeys.map(digest));
    app.addHook('onRequest', async (request) => {
      if (!MUTATING.has(request.method)) return;
      if (!accepted(presentedKey(request))) throw new ApiError(401, 'a valid x-api-key header is required');
    });
  }
}
