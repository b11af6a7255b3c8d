import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { freePort } from '../../scripts/lib/dev-server';
import { orderWorkflowId } from '../../workflows/ids';
import { orderRequest } from '../support/orders';
import { connectClient, eventually, expectErrorShape, testApp } from './support';

// The API's contract against the real dev server, through `inject`, in a namespace where no
// worker runs: orders start and wait, which is all these tests need.

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

const placeOrder = (body: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/orders', payload: body as object, headers });

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe('validation and errors', () => {
  test('a body that breaks the schema is a 400 naming the failing field', async () => {
    const res = await placeOrder(orderRequest({ items: [{ sku: 'MUG-DURABLE', quantity: 0 }] }));
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 400);
    expect(res.json().field).toBe('body/items/0/quantity');
  });

  test('a missing field and an unexpected field are each named', async () => {
    const { customerEmail: _omitted, ...withoutEmail } = orderRequest();
    expect((await placeOrder(withoutEmail)).json()).toMatchObject({ statusCode: 400, field: 'body/customerEmail' });
    expect((await placeOrder(orderRequest({ coupon: 'FREE' }))).json()).toMatchObject({ statusCode: 400, field: 'body/coupon' });
    // A body is taken as sent: no coercion of true into 1.
    expect((await placeOrder(orderRequest({ items: [{ sku: 'MUG-DURABLE', quantity: true }] }))).json()).toMatchObject({
      statusCode: 400,
      field: 'body/items/0/quantity',
    });
  });

  test('an unknown SKU is a 400 on that item, and no order is started', async () => {
    const key = unique('unknown-sku');
    const res = await placeOrder(
      orderRequest({
        items: [
          { sku: 'MUG-DURABLE', quantity: 1 },
          { sku: 'NOPE', quantity: 1 },
        ],
      }),
      { 'idempotency-key': key },
    );
    expect(res.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: 'unknown SKU "NOPE"', field: 'body/items/1/sku' });
  });

  test('malformed JSON is a 400, an unsupported content type a 415, both in the error shape', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/orders',
      payload: '{"customerId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expectErrorShape(bad.json(), 400);
    const xml = await app.inject({ method: 'POST', url: '/orders', payload: '<order/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.statusCode).toBe(415);
    expectErrorShape(xml.json(), 415);
  });

  test('a body over the size limit is a 413 in the error shape', async () => {
    const res = await placeOrder(orderRequest({ customerId: 'x'.repeat(70 * 1024) }));
    expect(res.statusCode).toBe(413);
    expectErrorShape(res.json(), 413);
  });

  test('an unknown order is a 404 on every order route; a malformed id is a 400', async () => {
    for (const [method, url] of [
      ['GET', '/orders/nosuchorder1'],
      ['GET', '/orders/nosuchorder1/history'],
      ['GET', '/orders/nosuchorder1/events'],
      ['POST', '/orders/nosuchorder1/cancel'],
    ] as const) {
      const res = await app.inject({ method, url, ...(method === 'POST' && { payload: {} }) });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
      expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'no such order' });
    }
    // A POST with no body at all is an empty object: here a cancel without a reason, of an order that does not exist.
    expect((await app.inject({ method: 'POST', url: '/orders/nosuchorder1/cancel' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/orders/nosuchorder1/approve' })).json()).toMatchObject({
      statusCode: 400,
      field: 'body/approvedBy',
    });
    const malformed = await app.inject({ method: 'GET', url: '/orders/not%20an%20id' });
    expect(malformed.json()).toMatchObject({ statusCode: 400, field: 'params/id' });
  });

  test('an unknown route is a 404 in the error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'no route for GET /nowhere' });
  });

  test('a carrier event for an order that has no shipment is a 404', async () => {
    const res = await app.inject({ method: 'POST', url: '/shipments/nosuchorder1/events', payload: { event: 'delivered' } });
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'this order has no shipment (yet)' });
  });
});

describe('placing an order', () => {
  test('answers 201 with a Location header and links, including the Web UI', async () => {
    const res = await placeOrder(orderRequest());
    expect(res.statusCode).toBe(201);
    const { orderId, workflowId, totalCents, links } = res.json();
    expect(workflowId).toBe(orderWorkflowId(orderId));
    expect(totalCents).toBe(3300);
    expect(res.headers.location).toBe(`/orders/${orderId}`);
    expect(links).toEqual({
      self: `/orders/${orderId}`,
      events: `/orders/${orderId}/events`,
      history: `/orders/${orderId}/history`,
      webUi: `http://localhost:8233/namespaces/api/workflows/${workflowId}`,
    });
  });

  test('the same Idempotency-Key returns the same order and starts no second workflow', async () => {
    const key = unique('retry');
    const body = orderRequest({ customerId: unique('c-idem') });
    const first = await placeOrder(body, { 'idempotency-key': key });
    // The same body with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const retry = await placeOrder(reordered, { 'idempotency-key': key });

    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    await eventually(async () => expect((await client.workflow.count(`WorkflowId = '${first.json().workflowId}'`)).count).toBe(1));
  });

  test('the same Idempotency-Key with a different body is a 409, and the first order stands', async () => {
    const key = unique('conflict');
    const first = await placeOrder(orderRequest(), { 'idempotency-key': key });
    const other = await placeOrder(orderRequest({ paymentToken: 'tok_other' }), { 'idempotency-key': key });
    expect(other.json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'this Idempotency-Key was used for a different order',
      field: 'headers/idempotency-key',
    });
    const description = await client.workflow.getHandle(first.json().workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
  });

  test('without a key, two identical requests are two orders', async () => {
    const [a, b] = [await placeOrder(orderRequest()), await placeOrder(orderRequest())];
    expect(a.json().orderId).not.toBe(b.json().orderId);
  });
});

describe('listing orders', () => {
  test('filters by customer and status, and pages with nextPageToken', async () => {
    const customerId = unique('c-list');
    const placed = [];
    for (let i = 0; i < 3; i++) placed.push((await placeOrder(orderRequest({ customerId }))).json().orderId);

    const firstPage = await eventually(async () => {
      const res = await app.inject({ method: 'GET', url: `/orders?customerId=${customerId}&pageSize=2` });
      expect(res.json().orders).toHaveLength(2);
      return res.json();
    });
    expect(firstPage.nextPageToken).toEqual(expect.any(String));
    const secondPage = (
      await app.inject({ method: 'GET', url: `/orders?customerId=${customerId}&pageSize=2&pageToken=${firstPage.nextPageToken}` })
    ).json();
    expect(secondPage.nextPageToken).toBeUndefined();

    const listed = [...firstPage.orders, ...secondPage.orders];
    expect(listed.map((order: { orderId: string }) => order.orderId).sort()).toEqual([...placed].sort());
    expect(listed[0]).toMatchObject({ customerId, status: 'received', totalCents: 3300, workflowStatus: 'RUNNING' });

    const received = await app.inject({ method: 'GET', url: `/orders?customerId=${customerId}&status=received` });
    expect(received.json().orders).toHaveLength(3);
    const completed = await app.inject({ method: 'GET', url: `/orders?customerId=${customerId}&status=completed` });
    expect(completed.json()).toEqual({ orders: [] });
  });

  test('a page token the API did not issue, or issued for another filter, is a 400; so is an unknown status', async () => {
    for (const token of ['bm90LWEtdG9rZW4', 'bm90LWEtdG9rZW4.c2VhbA']) {
      expect((await app.inject({ method: 'GET', url: `/orders?pageToken=${token}` })).json()).toMatchObject({
        statusCode: 400,
        field: 'querystring/pageToken',
      });
    }
    const customerId = unique('c-token');
    for (let i = 0; i < 2; i++) await placeOrder(orderRequest({ customerId }));
    const { nextPageToken } = await eventually(async () => {
      const page = (await app.inject({ method: 'GET', url: `/orders?customerId=${customerId}&pageSize=1` })).json();
      expect(page.nextPageToken).toEqual(expect.any(String));
      return page;
    });
    const otherFilter = await app.inject({ method: 'GET', url: `/orders?status=received&pageSize=1&pageToken=${nextPageToken}` });
    expect(otherFilter.json()).toMatchObject({ statusCode: 400, field: 'querystring/pageToken' });
    expect((await app.inject({ method: 'GET', url: '/orders?status=lost' })).json()).toMatchObject({
      statusCode: 400,
      field: 'querystring/status',
    });
  });
});

describe('when Temporal does not answer', () => {
  test('a running order no worker answers for is a 200 within the deadline, read from its workflow description and marked as a fallback', async () => {
    const { orderId } = (await placeOrder(orderRequest())).json();
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: `/orders/${orderId}` });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      orderId,
      status: 'received',
      currentStep: null,
      totalCents: 3300,
      timeline: [],
      source: 'description',
      fallback: {
        reason: 'the status query got no answer within 500 ms',
        workflowStatus: 'RUNNING',
        startedAt: expect.any(String),
        pendingActivities: [],
      },
      links: expect.objectContaining({ self: `/orders/${orderId}` }),
    });
  });

  test('a terminated order is read from its description as failed, with when it ended', async () => {
    const { orderId } = (await placeOrder(orderRequest())).json();
    await client.workflow.getHandle(orderWorkflowId(orderId)).terminate('test');
    const res = await app.inject({ method: 'GET', url: `/orders/${orderId}` });
    expect(res.json()).toMatchObject({
      orderId,
      status: 'failed',
      failure: "the order's workflow ended as terminated",
      source: 'description',
      fallback: { workflowStatus: 'TERMINATED', closedAt: expect.any(String) },
    });
  });

  test('an action no worker accepts is a 503 within the deadline', async () => {
    const { orderId } = (await placeOrder(orderRequest())).json();
    const started = Date.now();
    const res = await app.inject({ method: 'POST', url: `/orders/${orderId}/cancel`, payload: { reason: 'test' } });
    expect(res.statusCode).toBe(503);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  test('with the server unreachable, /readyz and every Temporal-backed route answer 503 quickly; /healthz stays up', async () => {
    const unreachable = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const offline = await testApp(new Client({ connection: unreachable, namespace: 'api' }));
    try {
      // The 0.8s deadline, plus at most one step of the SDK's retry backoff.
      const started = Date.now();
      expect((await offline.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(2500);
      for (const res of [
        await offline.inject({ method: 'POST', url: '/orders', payload: orderRequest() }),
        await offline.inject({ method: 'GET', url: '/orders' }),
        await offline.inject({ method: 'GET', url: '/orders/abc123' }),
      ]) {
        expect(res.statusCode).toBe(503);
        expectErrorShape(res.json(), 503);
      }
      expect((await offline.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    } finally {
      await offline.close();
      await unreachable.close();
    }
  });

  test('/readyz is ready while the server answers', async () => {
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });
});
