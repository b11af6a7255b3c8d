import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { EncryptionCodec } from '../../services/common/encryption-codec';
import { EncryptionKeyring, newEncryptionKeySpec } from '../../services/common/encryption-keys';
import { connectClient, expectErrorShape, testApp } from '../api/support';
import { orderInput, orderRequest } from '../support/orders';
import { testKeyring } from '../support/stack';

// The API key as enforced and as documented, the codec server, CORS and the proxy setting, through `inject`.

let client: Client;
let close: () => Promise<void>;
const apps: FastifyInstance[] = [];
const codec = new EncryptionCodec(testKeyring);
const app = async (options: Parameters<typeof testApp>[1] = {}) => {
  const built = await testApp(client, { codec, ...options });
  apps.push(built);
  return built;
};

beforeAll(async () => {
  ({ client, close } = await connectClient('api'));
});

afterAll(async () => {
  await Promise.all(apps.map((built) => built.close()));
  await close?.();
});

const jsonPayload = (payload: { metadata?: Record<string, Uint8Array | null> | null; data?: Uint8Array | null }) => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')]),
  ),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});

describe('the API key', () => {
  test('during a rotation both keys are accepted, in x-api-key or as a bearer token; a wrong or missing key is a 401 in the error shape', async () => {
    const keyed = await app({ apiKey: ['new-key-2', 'old-key-1'] });
    const post = (headers: Record<string, string>) => keyed.inject({ method: 'POST', url: '/orders', payload: orderRequest(), headers });
    expect((await post({ 'x-api-key': 'new-key-2' })).statusCode).toBe(201);
    expect((await post({ 'x-api-key': 'old-key-1' })).statusCode).toBe(201);
    expect((await post({ authorization: 'Bearer new-key-2' })).statusCode).toBe(201);
    for (const headers of [{}, { 'x-api-key': 'new-key-' }, { 'x-api-key': 'new-key-22' }, { authorization: 'Basic new-key-2' }] as Record<
      string,
      string
    >[]) {
      const refused = await post(headers);
      expect(refused.statusCode).toBe(401);
      expectErrorShape(refused.json(), 401);
    }
  });

  test('the OpenAPI document declares no key when none is set, and the key on every POST route (and no GET) when one is', async () => {
    const operations = (document: { paths: Record<string, Record<string, { security?: unknown }>> }) =>
      Object.entries(document.paths).flatMap(([url, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ url, method, security: operation.security })),
      );
    const open = (await (await app()).inject({ method: 'GET', url: '/docs/json' })).json();
    expect(open.components?.securitySchemes).toBeUndefined();
    expect(operations(open).filter((operation) => operation.security !== undefined)).toEqual([]);

    const keyed = (await (await app({ apiKey: 'k' })).inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(keyed.components.securitySchemes).sort()).toEqual(['apiKey', 'bearerKey']);
    for (const operation of operations(keyed)) {
      expect({ ...operation, security: operation.security ?? 'none' }).toEqual({
        ...operation,
        security: operation.method === 'post' ? [{ apiKey: [] }, { bearerKey: [] }] : 'none',
      });
    }
    expect(
      operations(keyed)
        .filter((operation) => operation.method === 'post')
        .map((operation) => operation.url),
    ).toEqual(expect.arrayContaining(['/orders', '/codec/decode']));
  });
});

describe('the codec server', () => {
  test('decodes what the workers encrypt, and encodes under the current key', async () => {
    const codecApp = await app();
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(orderInput())]);
    const decoded = await codecApp.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: [jsonPayload(encrypted)] } });
    expect(decoded.statusCode).toBe(200);
    const [plain] = decoded.json().payloads;
    expect(Buffer.from(plain.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(plain.data, 'base64').toString())).toMatchObject({ customerEmail: 'ada@example.com' });

    const encoded = await codecApp.inject({ method: 'POST', url: '/codec/encode', payload: { payloads: [plain] } });
    const [again] = encoded.json().payloads;
    expect(Buffer.from(again.metadata['encryption-key-id'], 'base64').toString()).toBe(testKeyring.current.id);
    expect(Buffer.from(again.data, 'base64').includes('ada@example.com')).toBe(false);
  });

  test('a payload under a key the API lacks is a 400 naming the key id', async () => {
    const [foreign] = await new EncryptionCodec(EncryptionKeyring.parse(newEncryptionKeySpec('retired-key'), 'test')).encode([
      defaultPayloadConverter.toPayload('x'),
    ]);
    const res = await (await app()).inject({ method: 'POST', url: '/codec/decode', payload: { payloads: [jsonPayload(foreign)] } });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 400);
    expect(res.json().message).toContain('"retired-key"');
  });

  test('needs the API key like every POST route', async () => {
    const keyed = await app({ apiKey: 'codec-key' });
    const body = { payloads: [] };
    expect((await keyed.inject({ method: 'POST', url: '/codec/decode', payload: body })).statusCode).toBe(401);
    expect(
      (await keyed.inject({ method: 'POST', url: '/codec/decode', payload: body, headers: { authorization: 'Bearer codec-key' } }))
        .statusCode,
    ).toBe(200);
  });

  test("lets the Web UI's origin call it from a browser, and no other origin, while the API's own routes stay same-origin", async () => {
    const codecApp = await app({ codecCorsOrigins: ['http://localhost:8233'] });
    const preflight = (url: string, origin: string) =>
      codecApp.inject({
        method: 'OPTIONS',
        url,
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const allowed = await preflight('/codec/decode', 'http://localhost:8233');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers).toMatchObject({
      'access-control-allow-origin': 'http://localhost:8233',
      'access-control-allow-credentials': 'true',
    });
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('x-namespace');
    expect((await preflight('/codec/decode', 'https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
    expect((await preflight('/orders', 'http://localhost:8233')).headers['access-control-allow-origin']).toBeUndefined();
  });

  test('is not served by an API without payload keys', async () => {
    const plain = await testApp(client);
    apps.push(plain);
    expect((await plain.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: [] } })).statusCode).toBe(404);
  });
});

describe('behind a proxy', () => {
  const twoClients = async (trustProxy: boolean) => {
    const limited = await app({ trustProxy, rateLimit: { max: 1, windowMs: 60_000 } });
    const from = (ip: string) => limited.inject({ method: 'GET', url: '/orders/no-such-order', headers: { 'x-forwarded-for': ip } });
    return [(await from('203.0.113.1')).statusCode, (await from('203.0.113.2')).statusCode];
  };

  test('with TRUST_PROXY each client behind it has its own rate limit; without it they share the proxy address', async () => {
    expect(await twoClients(true)).toEqual([404, 404]);
    expect(await twoClients(false)).toEqual([404, 429]);
  });
});
