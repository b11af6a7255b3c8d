import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { temporal } from '@temporalio/proto';
import type { FastifyInstance } from 'fastify';
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

const query = <T>(service: string, sql: string, ...params: unknown[]): T[] => {
  const db = new Database(path.join(stack.dataDir, `${service}.db`), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
};

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
    ['reserveStock', 'completed'],
    ['chargePayment', 'completed'],
    ['shipOrder', 'completed'],
    ['commitStock', 'completed'],
    ['sendConfirmation', 'completed'],
  ]);

  // Every activity ran on its own service's queue; the shipment ran as a child on the shipping queue.
  expect(await activityQueues(workflowId)).toEqual({
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

  // Each service's own store holds its part of the order.
  expect(query('payment', 'SELECT movement, amount_cents AS amount FROM ledger WHERE order_id = ? ORDER BY id', orderId)).toEqual([
    { movement: 'authorize', amount: 3300 },
    { movement: 'capture', amount: 3300 },
  ]);
  expect(query('inventory', 'SELECT sku, quantity, status FROM reservations WHERE order_id = ? ORDER BY sku', orderId)).toEqual([
    { sku: 'MUG-DURABLE', quantity: 2, status: 'committed' },
    { sku: 'STICKER-PACK', quantity: 1, status: 'committed' },
  ]);
  expect(query('shipping', 'SELECT status FROM shipments WHERE order_id = ?', orderId)).toEqual([{ status: 'delivered' }]);
  expect(query('email', 'SELECT template, recipient FROM sent_emails WHERE order_id = ?', orderId)).toEqual([
    { template: 'order-confirmation', recipient: 'ada@example.com' },
  ]);
  const outbox = fs.readdirSync(path.join(stack.dataDir, 'outbox'));
  expect(outbox).toEqual([`${orderId}.order-confirmation.eml`]);
});
