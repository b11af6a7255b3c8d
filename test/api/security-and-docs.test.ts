import { PassThrough } from 'node:stream';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { orderRequest } from '../support/orders';
import { connectClient, expectErrorShape, testApp } from './support';

// Security settings, the OpenAPI document and Swagger UI, and the logs, through `inject`.

let client: Client;
let close: () => Promise<void>;
let app: FastifyInstance;

beforeAll(async () => {
  ({ client, close } = await connectClient('api'));
  app = await testApp(client);
});

afterAll(async () => {
  await app?.close();
  await close?.();
});

const placeOrder = (body: unknown, headers: Record<string, string> = {}, target = app) =>
  target.inject({ method: 'POST', url: '/orders', payload: body as object, headers });

describe('security', () => {
  test('with an API key set, POST routes need x-api-key (401 otherwise) and GET routes do not', async () => {
    const keyed = await testApp(client, { apiKey: 's3cret-key' });
    try {
      const missing = await placeOrder(orderRequest(), {}, keyed);
      expect(missing.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'a valid x-api-key header is required' });
      expect((await placeOrder(orderRequest(), { 'x-api-key': 'wrong' }, keyed)).statusCode).toBe(401);
      expect((await keyed.inject({ method: 'POST', url: '/orders/abc123/approve', payload: { approvedBy: 'x' } })).statusCode).toBe(401);
      expect((await placeOrder(orderRequest(), { 'x-api-key': 's3cret-key' }, keyed)).statusCode).toBe(201);
      expect((await keyed.inject({ method: 'GET', url: '/catalog' })).statusCode).toBe(200);
    } finally {
      await keyed.close();
    }
  });

  test('past the rate limit requests get a 429 in the error shape; the probes are never limited', async () => {
    const limited = await testApp(client, { rateLimit: { max: 3, windowMs: 60_000 } });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await limited.inject({ method: 'GET', url: '/catalog' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const res = await limited.inject({ method: 'GET', url: '/catalog' });
      expectErrorShape(res.json(), 429);
      expect(res.headers['retry-after']).toBeDefined();
      for (let i = 0; i < 5; i++) expect((await limited.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  test('every answer carries the standard security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/catalog' });
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.any(String),
      'content-security-policy': expect.stringContaining("default-src 'self'"),
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('CORS: no CORS headers unless CORS_ORIGIN allows the origin', async () => {
    const origin = 'https://shop.example';
    const byDefault = await app.inject({ method: 'GET', url: '/catalog', headers: { origin } });
    expect(byDefault.headers['access-control-allow-origin']).toBeUndefined();

    const shop = await testApp(client, { corsOrigins: [origin] });
    try {
      const allowed = await shop.inject({
        method: 'OPTIONS',
        url: '/orders',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' },
      });
      expect(allowed.statusCode).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe(origin);
      expect(allowed.headers['access-control-allow-headers']).toContain('x-api-key');
      const other = await shop.inject({ method: 'GET', url: '/catalog', headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await shop.close();
    }
  });
});

describe('documentation', () => {
  test('/docs/json is an OpenAPI document of every route, with the error shape', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/catalog',
      '/healthz',
      '/orders',
      '/orders/{id}',
      '/orders/{id}/approve',
      '/orders/{id}/cancel',
      '/orders/{id}/events',
      '/orders/{id}/history',
      '/orders/{id}/map',
      '/orders/{id}/reject',
      '/readyz',
      '/shipments/{orderId}/events',
    ]);
    expect(Object.keys(document.components.schemas)).toContain('Error');
    expect(document.paths['/orders'].post.responses['409']).toBeDefined();
    // This app has no API key, so the document declares none (test/security/api-security.test.ts covers a keyed one).
    expect(document.paths['/orders'].post.security).toBeUndefined();
  });

  test('/docs serves Swagger UI, with a policy that lets its own scripts run', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});

describe('logging', () => {
  test("each log line of an order's request carries its orderId and workflowId", async () => {
    const stream = new PassThrough();
    const lines: Record<string, unknown>[] = [];
    stream.on('data', (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((line) => lines.push(JSON.parse(line))),
    );
    const logged = await testApp(client, { logLevel: 'debug', logStream: stream });
    try {
      const { orderId, workflowId } = (await placeOrder(orderRequest(), {}, logged)).json();
      const orderLines = lines.filter((line) => line.msg === 'order placed' || line.msg === 'request completed');
      expect(orderLines.map((line) => line.msg)).toEqual(['order placed', 'request completed']);
      for (const line of orderLines) expect(line).toMatchObject({ orderId, workflowId });
    } finally {
      await logged.close();
    }
  });
});
