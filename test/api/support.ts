import { STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../services/api/app';
import { connectTemporalClient } from '../../services/common/temporal-connection';
import type { TestNamespace } from '../support/namespaces';
import { temporalAddress, testKeyring } from '../support/stack';

/** A client of the test run's dev server, in one namespace, with no worker: workflows start and wait. Payloads are encrypted with the test key. */
export async function connectClient(namespace: TestNamespace): Promise<{ client: Client; close: () => Promise<void> }> {
  const { client, connection } = await connectTemporalClient({ address: temporalAddress(), namespace, keyring: testKeyring });
  return { client, close: () => connection.close() };
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

/** The app on a real loopback port, for what `inject` cannot do: a streaming response read as it arrives. */
export async function listeningTestApp(client: Client, options: Partial<AppOptions> = {}): Promise<{ app: FastifyInstance; url: string }> {
  const app = await testApp(client, options);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

export interface ServerSentEvent {
  event: string;
  data: Record<string, any>;
}

/** Reads a server-sent events response, calling `onEvent` for each event as it arrives, until the server ends it. */
export async function readEvents(response: Response, onEvent: (event: ServerSentEvent) => void | Promise<void>): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((line) => !line.startsWith(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      if (fields.event) await onEvent({ event: fields.event, data: JSON.parse(fields.data) });
    }
  }
}
