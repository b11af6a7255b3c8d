import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../services/api/app';
import type { TestNamespace } from '../support/namespaces';
import { temporalAddress } from '../support/stack';

/** A client of the test run's dev server, in one namespace, with no worker: workflows start and wait. */
export async function connectClient(namespace: TestNamespace): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: temporalAddress() });
  return { client: new Client({ connection, namespace }), close: () => connection.close() };
}

/** The app for `inject`, quiet, with a short Temporal deadline so "no worker" cases answer quickly. */
export function testApp(client: Client, options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  return buildApp({ client, uiUrl: 'http://localhost:8233', logLevel: 'silent', temporalTimeoutMs: 1500, ...options });
}

/** Retries `check` until it stops throwing: Visibility (the list, the counts) is eventually consistent. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(200);
    }
  }
}

/** The one error shape, exactly: statusCode, error, message, and a field only where there is one. No stack. */
export function expectErrorShape(body: unknown, statusCode: number): void {
  const { field, ...rest } = body as Record<string, unknown>;
  expect(rest).toEqual({ statusCode, error: STATUS_CODES[statusCode], message: expect.any(String) });
  if (field !== undefined) expect(field).toEqual(expect.any(String));
}
