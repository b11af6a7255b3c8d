import path from 'node:path';
import { msToNumber, type Duration } from '@temporalio/common';

// All configuration comes from the environment, with defaults that work on a laptop.
// TEMPORAL_* are the names Temporal's own tools use.

/** A setting that cannot be used: the process says so in one line, naming the variable, and exits. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** How a process reports that it could not start: one line for a configuration error, the whole error otherwise. */
export function reportStartFailure(processName: string, err: unknown): void {
  console.error(err instanceof ConfigurationError ? `${processName}: ${err.message}` : err);
}

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new ConfigurationError(`${name} must be a number, got "${raw}"`);
  return value;
}

/** A duration such as "30s" or "24 hours", checked here so a typo fails at start-up, not inside a workflow. */
function envDuration(name: string, fallback: string): Duration {
  const value = env(name, fallback);
  try {
    msToNumber(value as Duration);
  } catch {
    throw new ConfigurationError(`${name} must be a duration such as "30s" or "24 hours", got "${value}"`);
  }
  return value as Duration;
}

function envList(name: string, fallback: string[]): string[] {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * A service's database: PostgreSQL at its URL when set, otherwise its SQLite file. One pool per
 * worker process; an activity holds a connection only for one short transaction.
 */
const databaseConfig = (urlVariable: string, url: string | undefined, sqliteFile: string) => ({
  urlVariable,
  url: url || undefined,
  sqliteFile,
  poolMax: envNumber('DATABASE_POOL_MAX', 10),
});

/** The data folder: every service's SQLite file and the email outbox live under it. */
export const dataDir = (): string => path.resolve(env('DATA_DIR', 'data'));

export const temporalConfig = () => ({
  address: env('TEMPORAL_ADDRESS', 'localhost:7233'),
  namespace: env('TEMPORAL_NAMESPACE', 'default'),
  /** Where people open the Web UI; used to build links, never to connect. */
  uiUrl: env('TEMPORAL_UI_URL', 'http://localhost:8233').replace(/\/$/, ''),
});

/**
 * Temporal's own client settings, under the names its CLI uses, for @temporalio/envconfig
 * (services/common/temporal-connection.ts). Only these are passed on: a profile file is read
 * from TEMPORAL_CONFIG_FILE alone, never from the home folder of whoever runs the process.
 */
export const temporalClientSettings = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries({
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE,
      TEMPORAL_API_KEY: process.env.TEMPORAL_API_KEY,
      TEMPORAL_TLS: process.env.TEMPORAL_TLS,
      TEMPORAL_TLS_CLIENT_CERT_PATH: process.env.TEMPORAL_TLS_CLIENT_CERT_PATH,
      TEMPORAL_TLS_CLIENT_KEY_PATH: process.env.TEMPORAL_TLS_CLIENT_KEY_PATH,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: process.env.TEMPORAL_TLS_SERVER_CA_CERT_PATH,
      TEMPORAL_TLS_SERVER_NAME: process.env.TEMPORAL_TLS_SERVER_NAME,
      TEMPORAL_PROFILE: process.env.TEMPORAL_PROFILE,
      TEMPORAL_CONFIG_FILE: process.env.TEMPORAL_CONFIG_FILE,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );

/** The payload encryption keys: "id:base64key,..." inline, or a file (a mounted Secret); neither means plaintext payloads. */
export const encryptionConfig = () => ({
  keys: process.env.ENCRYPTION_KEYS || undefined,
  keysFile: process.env.ENCRYPTION_KEYS_FILE || undefined,
  /** Refuse to start without keys (compose, k8s), so an empty Secret never means plaintext. */
  required: envBoolean('REQUIRE_ENCRYPTION', false),
});

function envBoolean(name: string, fallback: boolean): boolean {
  const raw = env(name, String(fallback));
  if (raw !== 'true' && raw !== 'false') throw new ConfigurationError(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

/** The keys POST routes accept: API_KEYS (comma-separated, for a rotation) and API_KEY; REQUIRE_API_KEY=true refuses to run without one. */
function apiKeys(): string[] {
  const keys = [...envList('API_KEYS', []), ...envList('API_KEY', [])];
  if (keys.length === 0 && envBoolean('REQUIRE_API_KEY', false))
    throw new ConfigurationError('REQUIRE_API_KEY is true but neither API_KEY nor API_KEYS is set');
  return keys;
}

/** TRUST_PROXY: "false", "true" (trust every hop), a hop count, or comma-separated addresses/CIDRs of the proxies. */
function trustProxy(): boolean | number | string[] {
  const raw = env('TRUST_PROXY', 'false');
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw.split(',').map((proxy) => proxy.trim());
}

export const apiConfig = () => ({
  host: env('HOST', '0.0.0.0'),
  port: envNumber('PORT', 3000),
  logLevel: env('LOG_LEVEL', 'info'),
  /** The keys POST routes accept in x-api-key; none turns the check off (local dev). */
  apiKeys: apiKeys(),
  /** Origins of the Temporal Web UI that may call the codec server from a browser. */
  codecCorsOrigins: envList('CODEC_CORS_ORIGINS', ['http://localhost:8233']),
  /** Whether the client address comes from X-Forwarded-For (behind a proxy), for the rate limit and the logs. */
  trustProxy: trustProxy(),
  /** Origins a browser may call the API from; empty means no CORS headers, so same-origin only. */
  corsOrigins: envList('CORS_ORIGIN', []),
  /** Requests one client (IP) may make per window; the probes are not counted. */
  rateLimitMax: envNumber('RATE_LIMIT_MAX', 600),
  rateLimitWindowMs: envNumber('RATE_LIMIT_WINDOW_MS', 60000),
  /** Largest request body accepted; a larger one is answered 413. */
  bodyLimitBytes: envNumber('BODY_LIMIT_BYTES', 65536),
  /** Deadline of every call the API makes to Temporal; past it the API answers 503 instead of hanging. */
  temporalTimeoutMs: envNumber('TEMPORAL_RPC_TIMEOUT_MS', 5000),
});

export const workerConfig = () => ({
  /** How long a stopping worker lets running activities finish. Keep below the pod's termination grace period. */
  shutdownGraceTime: envDuration('WORKER_SHUTDOWN_GRACE_TIME', '20s'),
  /** Port of the worker's /healthz and /readyz endpoints; unset means no health server. */
  healthPort: process.env.WORKER_HEALTH_PORT ? envNumber('WORKER_HEALTH_PORT', 0) : undefined,
  /** host:port to serve Prometheus metrics on; unset means no metrics endpoint. */
  metricsAddress: process.env.METRICS_BIND_ADDRESS || undefined,
  logLevel: env('LOG_LEVEL', 'info'),
  /** Activities one worker runs at once (maxConcurrentActivityTaskExecutions); unset means the SDK's default, 100. */
  maxConcurrentActivities: envPositiveInteger('WORKER_MAX_CONCURRENT_ACTIVITIES'),
});

/** Tracing: every process exports its spans over OTLP/HTTP to this URL when it is set; the other OTEL_* settings are OpenTelemetry's own. */
export function tracingConfig(): { otlpEndpoint?: string } {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || undefined;
  if (endpoint && !URL.canParse(endpoint))
    throw new ConfigurationError(`OTEL_EXPORTER_OTLP_ENDPOINT must be a URL such as http://localhost:4318, got "${endpoint}"`);
  return { otlpEndpoint: endpoint };
}

function envPositiveInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new ConfigurationError(`${name} must be a whole number of at least 1, got "${raw}"`);
  return value;
}

/** The orders service's business rules (see OrderPolicy). */
export const orderPolicyConfig = () => ({
  approvalThresholdCents: envNumber('APPROVAL_THRESHOLD_CENTS', 100_000),
  approvalTimeout: envDuration('APPROVAL_TIMEOUT', '24 hours'),
  deliveryTimeout: envDuration('DELIVERY_TIMEOUT', '14 days'),
});

export const paymentConfig = () => ({
  database: databaseConfig(
    'PAYMENT_DATABASE_URL',
    process.env.PAYMENT_DATABASE_URL,
    env('PAYMENT_DB_PATH', path.join(dataDir(), 'payment.db')),
  ),
  gatewayLatencyMs: envNumber('PAYMENT_GATEWAY_LATENCY_MS', 50),
  /** Share of gateway calls that fail with a transient error, from 0 to 1. */
  gatewayFailureRate: envNumber('PAYMENT_GATEWAY_FAILURE_RATE', 0),
  declinedTokens: envList('PAYMENT_DECLINED_TOKENS', ['tok_declined', 'tok_insufficient_funds']),
});

export const inventoryConfig = () => ({
  database: databaseConfig(
    'INVENTORY_DATABASE_URL',
    process.env.INVENTORY_DATABASE_URL,
    env('INVENTORY_DB_PATH', path.join(dataDir(), 'inventory.db')),
  ),
});

export const shippingConfig = () => ({
  database: databaseConfig(
    'SHIPPING_DATABASE_URL',
    process.env.SHIPPING_DATABASE_URL,
    env('SHIPPING_DB_PATH', path.join(dataDir(), 'shipping.db')),
  ),
  /** How long the simulated carrier takes from booking to delivery. */
  transitTimeMs: envNumber('SHIPPING_TRANSIT_MS', 1500),
  /** Countries the carrier does not deliver to (ISO codes): booking there fails for good. */
  unservedCountries: envList('SHIPPING_UNSERVED_COUNTRIES', ['AQ']),
});

export const emailConfig = () => ({
  database: databaseConfig('EMAIL_DATABASE_URL', process.env.EMAIL_DATABASE_URL, env('EMAIL_DB_PATH', path.join(dataDir(), 'email.db'))),
  outboxDir: env('EMAIL_OUTBOX_DIR', path.join(dataDir(), 'outbox')),
  /** An SMTP URL (smtp://user:pass@host:587); unset means messages are written to the outbox as .eml files. */
  smtpUrl: process.env.SMTP_URL || undefined,
  from: env('EMAIL_FROM', 'Temporal Shop <orders@shop.example>'),
});

/** How a worker's version becomes the one Temporal routes to (see services/common/worker-versioning.ts). */
export type VersionRollout = 'bootstrap' | 'always' | 'manual';
const VERSION_ROLLOUTS: VersionRollout[] = ['bootstrap', 'always', 'manual'];

export const versioningConfig = () => {
  const rollout = env('WORKER_VERSION_ROLLOUT', 'bootstrap') as VersionRollout;
  if (!VERSION_ROLLOUTS.includes(rollout))
    throw new ConfigurationError(`WORKER_VERSION_ROLLOUT must be one of ${VERSION_ROLLOUTS.join(', ')}, got "${rollout}"`);
  /** The build id (the image tag); unset means the git commit, or "dev". */
  return { buildId: process.env.WORKER_BUILD_ID || undefined, rollout };
};
