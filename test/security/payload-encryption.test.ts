import { setTimeout as sleep } from 'node:timers/promises';
import { Client, type Connection, type WorkflowHandle } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { EncryptionCodec, KEY_ID_METADATA } from '../../services/common/encryption-codec';
import { EncryptionKeyring, newEncryptionKeySpec } from '../../services/common/encryption-keys';
import { readableHistoryEvents } from '../../services/common/encryption-readable-failures';
import {
  connectTemporal,
  connectTemporalClient,
  temporalDataConverter,
  type TemporalClient,
} from '../../services/common/temporal-connection';
import { ensureTemporal } from '../../scripts/lib/temporal-server';
import { orderWorkflowId, shipmentWorkflowId } from '../../workflows/ids';
import { CustomerIdKey } from '../../workflows/search-attributes';
import type { OrderInput } from '../../workflows/types';
import { SERVICES } from '../../workflows/task-queues';
import { testApp } from '../api/support';
import type { TestNamespace } from '../support/namespaces';
import { orderRequest, startOrder } from '../support/orders';
import { TestStack, temporalAddress } from '../support/stack';

// Encrypted payloads on the real stack: what Temporal stores, what the codec reads back, a key
// rotation, and a key a worker lacks.

// Created here if the global setup did not (add 'security' to TEST_NAMESPACES when merging).
const NAMESPACE = 'security' as TestNamespace;
const KEY_1 = newEncryptionKeySpec('key-1');
const KEY_2 = newEncryptionKeySpec('key-2');
const keyring = (spec: string) => EncryptionKeyring.parse(spec, 'test keys');

let stack: TestStack;
let rawConnection: Connection;
let raw: Client;
const clients: TemporalClient[] = [];

beforeAll(async () => {
  await ensureTemporal({ address: temporalAddress(), namespace: NAMESPACE, uiPort: 0, say: () => {} });
  stack = await TestStack.start({ namespace: NAMESPACE, services: [] });
  rawConnection = await connectTemporal({ address: temporalAddress() });
  // What anyone with access to Temporal sees: no codec.
  raw = new Client({ connection: rawConnection, namespace: NAMESPACE });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await Promise.all(clients.map(({ connection }) => connection.close()));
  await rawConnection?.close();
});

afterEach(async () => {
  for (const service of SERVICES) await stack.stopWorker(service);
});

const startWorkers = (keys: string, services = SERVICES) =>
  Promise.all(services.map((service) => stack.startWorker(service, { ENCRYPTION_KEYS: keys })));

async function clientWith(keys: string): Promise<Client> {
  const connected = await connectTemporalClient({ address: temporalAddress(), namespace: NAMESPACE, keyring: keyring(keys) });
  clients.push(connected);
  return connected.client;
}

/** Every payload of a workflow's raw history: inputs, results, memo, search attributes, failures' attributes. */
async function storedPayloads(workflowId: string): Promise<{ history: Uint8Array; inputs: Payload[] }> {
  const history = await raw.workflow.getHandle(workflowId).fetchHistory();
  const inputs = (history.events ?? []).flatMap(
    (event) =>
      event.workflowExecutionStartedEventAttributes?.input?.payloads ?? event.activityTaskScheduledEventAttributes?.input?.payloads ?? [],
  );
  return { history: temporal.api.history.v1.History.encode(history).finish(), inputs: inputs as Payload[] };
}

const keyIds = (payloads: Payload[]) => [
  ...new Set(payloads.map((payload) => Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString())),
];

test("after an order completes, its stored history (and its shipment's) holds none of the customer's email, name, address line or payment token, its memo is encrypted, its search attributes readable; the codec reads it back", async () => {
  await startWorkers(KEY_1);
  const client = await clientWith(KEY_1);
  const api = await testApp(client, { codec: new EncryptionCodec(keyring(KEY_1)) });
  try {
    const customer = {
      customerEmail: 'grace.hopper@example.org',
      paymentToken: 'tok_visa_private_4242',
      shippingAddress: { name: 'Grace Hopper', line1: '1 Secret Lane', city: 'Arlington', postalCode: '22201', country: 'US' },
    };
    const placed = await api.inject({ method: 'POST', url: '/orders', payload: orderRequest(customer) });
    expect(placed.statusCode).toBe(201);
    const { orderId } = placed.json();
    await client.workflow.getHandle(orderWorkflowId(orderId)).result();

    for (const workflowId of [orderWorkflowId(orderId), shipmentWorkflowId(orderId)]) {
      const { history, inputs } = await storedPayloads(workflowId);
      for (const secret of [customer.customerEmail, customer.shippingAddress.name, customer.shippingAddress.line1, customer.paymentToken]) {
        expect({ workflowId, secret, stored: Buffer.from(history).includes(secret) }).toEqual({ workflowId, secret, stored: false });
      }
      expect(inputs.length).toBeGreaterThan(0);
      expect(keyIds(inputs)).toEqual(['key-1']);
    }

    // The memo is a payload like any other; the search attributes stay readable, for Visibility to index them.
    const { workflowExecutionInfo: info } = await raw.workflowService.describeWorkflowExecution({
      namespace: NAMESPACE,
      execution: { workflowId: orderWorkflowId(orderId) },
    });
    expect(Buffer.from(info?.memo?.fields?.requestHash?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    expect(Buffer.from(info?.searchAttributes?.indexedFields?.[CustomerIdKey.name]?.data ?? []).toString()).toBe('"c-ada"');

    const [started] = (await storedPayloads(orderWorkflowId(orderId))).inputs;
    const asJson = {
      metadata: Object.fromEntries(
        Object.entries(started.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
      ),
      data: Buffer.from(started.data!).toString('base64'),
    };
    const decoded = await api.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: [asJson] } });
    const order = JSON.parse(Buffer.from(decoded.json().payloads[0].data, 'base64').toString()) as OrderInput;
    expect(order).toMatchObject({ orderId, ...customer });
  } finally {
    await api.close();
  }
});

test("a failure's message is stored encrypted, and a holder of the key reads why the card was declined", async () => {
  await startWorkers(KEY_1);
  const client = await clientWith(KEY_1);
  const { order, handle } = await startOrder({ client }, { paymentToken: 'tok_declined' });
  await handle.result();
  const history = await raw.workflow.getHandle(handle.workflowId).fetchHistory();
  const failed = (history.events ?? []).find((event) => event.activityTaskFailedEventAttributes)!.activityTaskFailedEventAttributes!
    .failure!;
  expect(failed.message).toBe('Encoded failure');
  expect(Buffer.from(temporal.api.history.v1.History.encode(history).finish()).includes(order.paymentToken)).toBe(false);
  const [readable] = await readableHistoryEvents(loadDataConverter(temporalDataConverter(keyring(KEY_1))), [
    (history.events ?? []).find((event) => event.activityTaskFailedEventAttributes)!,
  ]);
  expect(readable.activityTaskFailedEventAttributes?.failure?.message).toMatch(/declined/);
});

test('after a key rotation (new current key, old kept) old orders still decode and new orders use the new key id', async () => {
  await startWorkers(KEY_1);
  const before = await startOrder({ client: await clientWith(KEY_1) });
  await before.handle.result();
  for (const service of SERVICES) await stack.stopWorker(service);

  await startWorkers(`${KEY_2},${KEY_1}`);
  const rotated = await clientWith(`${KEY_2},${KEY_1}`);
  const after = await startOrder({ client: rotated });
  expect((await after.handle.result()).status).toBe('completed');

  expect(keyIds((await storedPayloads(after.handle.workflowId)).inputs)).toEqual(['key-2']);
  expect(keyIds((await storedPayloads(before.handle.workflowId)).inputs)).toEqual(['key-1']);
  expect(await rotated.workflow.getHandle(before.handle.workflowId).result()).toMatchObject({
    orderId: before.order.orderId,
    status: 'completed',
  });
});

test('an order whose input is under a key the orders worker lacks fails its workflow task naming the key id, then completes once a worker with the key starts', async () => {
  await startWorkers(KEY_1);
  const KEY_3 = newEncryptionKeySpec('key-3');
  const client = await clientWith(`${KEY_3},${KEY_1}`);
  const { order, handle } = await startOrder({ client });

  const taskFailure = await untilWorkflowTaskFailed(handle);
  expect(taskFailure).toContain('unknown key id "key-3"');
  expect((await handle.describe()).status.name).toBe('RUNNING');

  await stack.stopWorker('orders');
  await stack.startWorker('orders', { ENCRYPTION_KEYS: `${KEY_1},${KEY_3}` });
  expect(await handle.result()).toMatchObject({ orderId: order.orderId, status: 'completed' });
}, 90_000);

/** The readable message of the workflow's first failed workflow task, once there is one. */
async function untilWorkflowTaskFailed(handle: WorkflowHandle): Promise<string> {
  const converter = loadDataConverter(temporalDataConverter(keyring(KEY_1)));
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(200)) {
    const events = (await raw.workflow.getHandle(handle.workflowId).fetchHistory()).events ?? [];
    const failed = events.find((event) => event.workflowTaskFailedEventAttributes);
    if (failed) return (await readableHistoryEvents(converter, [failed]))[0].workflowTaskFailedEventAttributes?.failure?.message ?? '';
  }
  throw new Error('no workflow task failed within 20s');
}
