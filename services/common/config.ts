import path from 'node:path';
import type { Duration } from '@temporalio/common';

// All configuration comes from the environment, with defaults that work on a laptop.
// TEMPORAL_* are the names Temporal's own tools use.

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

function envList(name: string, fallback: string[]): string[] {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  return raw.split(',').map((item) => item.trim()).filter(Boolean);
}

/** The data folder: every service's SQLite file and the email outbox live under it. */
export const dataDir = (): string => path.resolve(env('DATA_DIR', 'data'));

export const temporalConfig = () => ({
  address: env('TEMPORAL_ADDRESS', 'localhost:7233'),
  namespace: env('TEMPORAL_NAMESPACE', 'default'),
  /** Where people open the Web UI; used to build links, never to connect. */
  uiUrl: env('TEMPORAL_UI_URL', 'http://localhost:8233').replace(/\/$/, ''),
});

export const apiConfig = () => ({
  host: env('HOST', '0.0.0.0'),
  port: envNumber('PORT', 3000),
  logLevel: env('LOG_LEVEL', 'info'),
});

export const workerConfig = () => ({
  /** How long a stopping worker lets running activities finish. Keep below the pod's termination grace period. */
  shutdownGraceTime: env('WORKER_SHUTDOWN_GRACE_TIME', '20s') as Duration,
  /** Port of the worker's /healthz and /readyz endpoints; unset means no health server. */
  healthPort: process.env.WORKER_HEALTH_PORT ? envNumber('WORKER_HEALTH_PORT', 0) : undefined,
  /** host:port to serve Prometheus metrics on; unset means no metrics endpoint. */
  metricsAddress: process.env.METRICS_BIND_ADDRESS || undefined,
  logLevel: env('LOG_LEVEL', 'info'),
});

export const paymentConfig = () => ({
  dbPath: env('PAYMENT_DB_PATH', path.join(dataDir(), 'payment.db')),
  gatewayLatencyMs: envNumber('PAYMENT_GATEWAY_LATENCY_MS', 50),
  /** Share of gateway calls that fail with a transient error, from 0 to 1. */
  gatewayFailureRate: envNumber('PAYMENT_GATEWAY_FAILURE_RATE', 0),
  declinedTokens: envList('PAYMENT_DECLINED_TOKENS', ['tok_declined', 'tok_insufficient_funds']),
});

export const inventoryConfig = () => ({
  dbPath: env('INVENTORY_DB_PATH', path.join(dataDir(), 'inventory.db')),
});

export const shippingConfig = () => ({
  dbPath: env('SHIPPING_DB_PATH', path.join(dataDir(), 'shipping.db')),
  /** How long the simulated carrier takes from booking to delivery. */
  transitTimeMs: envNumber('SHIPPING_TRANSIT_MS', 1500),
});

export const emailConfig = () => ({
  dbPath: env('EMAIL_DB_PATH', path.join(dataDir(), 'email.db')),
  outboxDir: env('EMAIL_OUTBOX_DIR', path.join(dataDir(), 'outbox')),
  /** An SMTP URL (smtp://user:pass@host:587); unset means messages are written to the outbox as .eml files. */
  smtpUrl: process.env.SMTP_URL || undefined,
  from: env('EMAIL_FROM', 'Temporal Shop <orders@shop.example>'),
});
