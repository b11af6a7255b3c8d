import fs from 'node:fs';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import type { FastifyInstance } from 'fastify';
import { ServiceStores } from '../scripts/lib/service-stores';
import { orderWorkflowId, shipmentWorkflowId } from '../workflows/ids';
import type { OrderView } from '../workflows/types';
import { listeningApi, orderRequest } from './support/orders';
import { TestStack } from './support/stack';

let stack: TestStack;
let api: { app: FastifyInstance; url: string };

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'e2e' });
  api = await listeningApi(stack);
});

afterAll(async () => {
  await api?.app.close();
  await stack?.stop();
});

/** Which task queue each activity type was scheduled on, from a workflow's history. */
async function activityQueues(workflowId: string): Promise<Record<string, string>> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const queues: Record<string, string> = {};
  for (const event of history.events ?? []) {
    const scheduled: temporal.api.history.v1.IActivityTaskScheduledEventAttributes | null | undefined =
      event.activityTaskScheduledEventAttributes;
    if (scheduled) queues[scheduled.activityType!.name!] = scheduled.taskQueue!.name!;
  }
  return queues;
}

test('an order placed through the HTTP API completes through the worker of every service, each on its own task queue', async () => {
  const placed = await fetch(`${api.url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(orderRequest()),
  });
  expect(placed.status).toBe(201);
  const { orderId, workflowId, links } = (await placed.json()) as { orderId: string; workflowId: string; links: Record<string, string> };
  expect(workflowId).toBe(orderWorkflowId(orderId));
  expect(placed.headers.get('location')).toBe(`/orders/${orderId}`);
  expect(links.webUi).toBe(`http://localhost:8233/namespaces/e2e/workflows/${workflowId}`);

  const result: OrderView = await stack.client.workflow.getHandle(workflowId).result();
  expect(result.status).toBe('completed');

  const status = (await (await fetch(`${api.url}/orders/${orderId}`)).json()) as OrderView;
  expect(status.status).toBe('completed');
  expect(status.timeline.map((entry) => [entry.step, entry.state])).toEqual([
    ['validateOrder', 'completed'],
    ['screenOrder', 'completed'],
    ['reserveStock', 'completed'],
    ['chargePayment', 'completed'],
    ['shipOrder', 'completed'],
    ['commitStock', 'completed'],
    ['sendConfirmation', 'completed'],
  ]);

  // Every activity ran on its own service's queue; the shipment ran as a child on the shipping queue.
  expect(await activityQueues(workflowId)).toEqual({
    screenOrder: 'fraud',
    reserveStock: 'inventory',
    authorizePayment: 'payment',
    capturePayment: 'payment',
    commitStock: 'inventory',
    sendOrderEmail: 'email',
  });
  const child = await stack.client.workflow.getHandle(shipmentWorkflowId(orderId)).describe();
  expect(child.taskQueue).toBe('shipping');
  expect(child.parentExecution?.workflowId).toBe(workflowId);
  expect(await activityQueues(shipmentWorkflowId(orderId))).toEqual({ bookShipment: 'shipping', trackShipment: 'shipping' });

  // Each service's own store (its SQLite file, or its PostgreSQL database in the cluster suite) holds its part of the order.
  const stores = await ServiceStores.open(stack.dataDir, stack.databaseUrls);
  try {
    expect(await stores.payment.ledger(orderId)).toEqual([
      expect.objectContaining({ movement: 'authorize', amountCents: 3300 }),
      expect.objectContaining({ movement: 'capture', amountCents: 3300 }),
    ]);
    expect(await stores.inventory.reservations(orderId)).toEqual([
      expect.objectContaining({ sku: 'MUG-DURABLE', quantity: 2, status: 'committed' }),
      expect.objectContaining({ sku: 'STICKER-PACK', quantity: 1, status: 'committed' }),
    ]);
    expect(await stores.shipping.shipmentsForOrder(orderId)).toEqual([expect.objectContaining({ status: 'delivered' })]);
    expect(await stores.email.sentTo(orderId)).toEqual([
      expect.objectContaining({ template: 'order-confirmation', recipient: 'ada@example.com' }),
    ]);
  } finally {
    await stores.close();
  }
  const outbox = fs.readdirSync(path.join(stack.dataDir, 'outbox'));
  expect(outbox).toEqual([`${orderId}.order-confirmation.eml`]);
});
