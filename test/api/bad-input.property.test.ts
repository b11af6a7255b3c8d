import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import type { Client } from '@temporalio/client';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { catalog } from '../../services/common/catalog';
import { ORDER_STATUSES } from '../../workflows/types';
import { orderRequest } from '../support/orders';
import { connectClient, testApp } from './support';

// Property: whatever malformed request arrives, on any route, the API answers a 4xx in the one
// error shape, never a 5xx, and starts no workflow. Runs against the real dev server ('api'
// namespace, no worker), so every Temporal call a bad request might make really happens.

const RUNS = 1200;

let client: Client;
let close: () => Promise<void>;
let app: FastifyInstance;

beforeAll(async () => {
  ({ client, close } = await connectClient('api'));
  app = await testApp(client, { rateLimit: { max: 1_000_000, windowMs: 60_000 } });
});

afterAll(async () => {
  await app?.close();
  await close?.();
});

type Json = Record<string, unknown>;
const clone = <T>(value: T): T => structuredClone(value);

// ---- Values that break one rule each ----------------------------------------------------------

const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);
const badQuantity = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: 101 }),
  fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
);
/** Text with at least one character outside [A-Za-z0-9_.@-], or empty, or too long. */
const badCustomerId = fc.oneof(
  fc.constant(''),
  fc.stringMatching(/^[A-Za-z0-9]{0,5}[ !#$%&'()*+,/:;<=>?[\]^`{|}~][A-Za-z0-9]{0,5}$/),
  fc.stringMatching(/^[a-z]{65,80}$/),
);
const badEmail = fc.oneof(fc.constant(''), fc.stringMatching(/^[a-z0-9.]{1,20}$/), fc.stringMatching(/^@[a-z]{1,10}$/));
const badCountry = fc.oneof(fc.stringMatching(/^[A-Za-z]?$/), fc.stringMatching(/^[A-Za-z]{3,6}$/), fc.stringMatching(/^[0-9]{2}$/));
const knownSkus = new Set(catalog.map((product) => product.sku));
const unknownSku = fc.stringMatching(/^[A-Z]{2,10}-[A-Z0-9]{1,8}$/).filter((sku) => !knownSkus.has(sku));
const tooLong = (max: number) => fc.integer({ min: max + 1, max: max + 40 }).map((length) => 'x'.repeat(length));
const extraKey = (known: string[]) => fc.stringMatching(/^[a-zA-Z]{1,12}$/).filter((key) => !known.includes(key));

// ---- Malformed POST /orders bodies: a valid order with one thing wrong ---------------------

const REQUIRED: string[][] = [
  ['customerId'],
  ['customerEmail'],
  ['items'],
  ['paymentToken'],
  ['shippingAddress'],
  ['shippingAddress', 'name'],
  ['shippingAddress', 'line1'],
  ['shippingAddress', 'city'],
  ['shippingAddress', 'postalCode'],
  ['shippingAddress', 'country'],
  ['items', '0', 'sku'],
  ['items', '0', 'quantity'],
];

function setAt(body: Json, path: string[], value: unknown): Json {
  const copy = clone(body);
  let target = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[path.at(-1)!];
  else target[path.at(-1)!] = value;
  return copy;
}

const badOrderBody: fc.Arbitrary<unknown> = fc.oneof(
  // A required field missing.
  fc.constantFrom(...REQUIRED).map((path) => setAt(orderRequest(), path, undefined)),
  // A field of the wrong type.
  fc
    .tuple(fc.constantFrom(...REQUIRED.filter((path) => path.at(-1) !== 'quantity')), notAString)
    .map(([path, value]) => setAt(orderRequest(), path, value)),
  badQuantity.map((quantity) => setAt(orderRequest(), ['items', '0', 'quantity'], quantity)),
  // A value the schema or the catalog refuses.
  badCustomerId.map((value) => setAt(orderRequest(), ['customerId'], value)),
  badEmail.map((value) => setAt(orderRequest(), ['customerEmail'], value)),
  badCountry.map((value) => setAt(orderRequest(), ['shippingAddress', 'country'], value)),
  unknownSku.map((sku) => setAt(orderRequest(), ['items', '0', 'sku'], sku)),
  tooLong(128).map((token) => setAt(orderRequest(), ['paymentToken'], token)),
  tooLong(200).map((line) => setAt(orderRequest(), ['shippingAddress', 'line1'], line)),
  fc.constant(setAt(orderRequest(), ['items'], [])),
  fc.integer({ min: 51, max: 60 }).map((count) =>
    setAt(
      orderRequest(),
      ['items'],
      Array.from({ length: count }, () => ({ sku: 'MUG-DURABLE', quantity: 1 })),
    ),
  ),
  // A property the schema does not know, at any level.
  extraKey(Object.keys(orderRequest())).map((key) => setAt(orderRequest(), [key], 'surprise')),
  extraKey(['sku', 'quantity']).map((key) => setAt(orderRequest(), ['items', '0', key], 1)),
  extraKey(['name', 'line1', 'city', 'postalCode', 'country']).map((key) => setAt(orderRequest(), ['shippingAddress', key], 'x')),
  // Not an object at all.
  fc.oneof(fc.array(fc.jsonValue(), { maxLength: 3 }), fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
);

// ---- Requests -------------------------------------------------------------------------------

const json = (method: 'POST', url: string, body: unknown, headers: Record<string, string> = {}): InjectOptions => ({
  method,
  url,
  headers: { 'content-type': 'application/json', ...headers },
  payload: JSON.stringify(body),
});

/** An order id that matches the id pattern but names no order. */
const unknownId = fc.stringMatching(/^[a-z0-9]{12}$/).map((id) => `nx${id}`);
/** Path segments that are not order ids: a forbidden character, or too long. */
const badId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9]{0,4}[ !"#$&'()*+,.:;<=>@[\]^`{|}~/?%][A-Za-z0-9]{0,4}$/),
  fc.stringMatching(/^[a-z]{65,70}$/),
);
const someId = fc.oneof(unknownId, badId).map(encodeURIComponent);
const badIdempotencyKey = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9]{1,7}$/),
  fc.stringMatching(/^[A-Za-z0-9]{4,8}[!"#$&'()*+,;<=>@[\]^`{|}~/?%][A-Za-z0-9]{0,4}$/),
  tooLong(128),
);

const malformedRequest: fc.Arbitrary<InjectOptions> = fc.oneof(
  { weight: 6, arbitrary: badOrderBody.map((body) => json('POST', '/orders', body)) },
  { weight: 1, arbitrary: badIdempotencyKey.map((key) => json('POST', '/orders', orderRequest(), { 'idempotency-key': key })) },
  {
    weight: 1,
    arbitrary: fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((text) => {
        try {
          JSON.parse(text);
          return false;
        } catch {
          return true;
        }
      })
      .map((text): InjectOptions => ({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload: text })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('text/plain', 'application/xml', 'multipart/form-data', 'application/x-www-form-urlencoded')
      .map((type): InjectOptions => ({
        method: 'POST',
        url: '/orders',
        headers: { 'content-type': type },
        payload: JSON.stringify(orderRequest()),
      })),
  },
  { weight: 1, arbitrary: fc.constant(json('POST', '/orders', orderRequest({ customerId: 'x'.repeat(70 * 1024) }))) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc
          .string({ minLength: 1, maxLength: 12 })
          .filter((status) => !ORDER_STATUSES.includes(status as never))
          .map((status) => ({ status })),
        fc
          .oneof(fc.integer({ max: 0 }), fc.integer({ min: 101 }), fc.constantFrom('ten', '1.5', '-', ''))
          .map((pageSize) => ({ pageSize: String(pageSize) })),
        badCustomerId.filter((id) => id !== '').map((customerId) => ({ customerId })),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}(\.[A-Za-z0-9_-]{1,20})?$/).map((pageToken) => ({ pageToken })),
        extraKey(['status', 'customerId', 'pageSize', 'pageToken']).map((key) => ({ [key]: '1' })),
      )
      .map((query): InjectOptions => ({ method: 'GET', url: `/orders?${new URLSearchParams(query as Record<string, string>)}` })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(someId, fc.constantFrom('', '/history', '/events'))
      .map(([id, suffix]): InjectOptions => ({ method: 'GET', url: `/orders/${id}${suffix}` })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        someId,
        fc.oneof(
          fc.record({
            action: fc.constant('cancel'),
            body: fc.oneof(
              fc.constant({}),
              fc.record({ reason: fc.oneof(notAString, fc.constant(''), tooLong(500)) }),
              extraKey(['reason']).map((key) => ({ [key]: 'x' })),
            ),
          }),
          fc.record({
            action: fc.constant('approve'),
            body: fc.oneof(
              fc.constant({}),
              fc.record({ approvedBy: fc.oneof(notAString, fc.constant('')) }),
              fc.constant({ approvedBy: 'grace' }),
            ),
          }),
          fc.record({
            action: fc.constant('reject'),
            body: fc.oneof(
              fc.constant({ rejectedBy: 'grace' }),
              fc.constant({ reason: 'no' }),
              fc.record({ rejectedBy: notAString, reason: fc.string() }),
              fc.constant({ rejectedBy: 'grace', reason: 'no' }),
            ),
          }),
        ),
      )
      .map(([id, { action, body }]) => json('POST', `/orders/${id}/${action}`, body)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        someId,
        fc.oneof(
          fc.constant({}),
          fc.record({ event: fc.string().filter((event) => event !== 'dispatched' && event !== 'delivered') }),
          fc.record({ event: fc.constantFrom('dispatched', 'delivered'), at: fc.oneof(fc.string({ maxLength: 12 }), fc.integer()) }),
          fc.record({ event: fc.constantFrom('dispatched', 'delivered') }),
        ),
      )
      .map(([id, body]) => json('POST', `/shipments/${id}/events`, body)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('PUT', 'PATCH', 'DELETE') as fc.Arbitrary<'PUT' | 'PATCH' | 'DELETE'>,
        fc.constantFrom('/orders', '/orders/abc123', '/catalog', '/nowhere'),
      )
      .map(([method, url]): InjectOptions => ({ method, url })),
  },
);

/** Every OrderWorkflow in the namespace, once Visibility has caught up with what was started. */
async function settledOrderCount(): Promise<number> {
  let previous = -1;
  for (;;) {
    const { count } = await client.workflow.count(`WorkflowType = 'OrderWorkflow'`);
    if (count === previous) return count;
    previous = count;
    await sleep(1000);
  }
}

test(`${RUNS} malformed requests across the routes: each a 4xx in the error shape, none a 5xx, and no order started`, async () => {
  const ordersBefore = await settledOrderCount();
  const seen = new Map<number, number>();

  await fc.assert(
    fc.asyncProperty(malformedRequest, async (request) => {
      const res = await app.inject(request);
      seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const { field, ...rest } = res.json();
      expect(rest).toEqual({ statusCode: res.statusCode, error: STATUS_CODES[res.statusCode], message: expect.any(String) });
      expect(field === undefined || typeof field === 'string').toBe(true);
      expect(res.body).not.toMatch(/\bat .+\.(js|ts):\d+/);
    }),
    { numRuns: RUNS },
  );

  expect([...seen.values()].reduce((sum, count) => sum + count, 0)).toBe(RUNS);
  // The generators reach every kind of refusal.
  expect([...seen.keys()].sort()).toEqual(expect.arrayContaining([400, 404, 413, 415]));
  expect(await settledOrderCount()).toBe(ordersBefore);
}, 180_000);
