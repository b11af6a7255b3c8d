import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../services/api/app';
import { orderWorkflowId } from '../../workflows/ids';
import type { OrderWorkflow } from '../../workflows/order';
import { TaskQueues } from '../../workflows/task-queues';
import { orderStatusQuery } from '../../workflows/messages';
import type { OrderInput, OrderStatus, OrderView } from '../../workflows/types';
import type { TestStack } from './stack';

/** A valid POST /orders body; override any field to make the order you need. */
export function orderRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId: 'c-ada',
    customerEmail: 'ada@example.com',
    items: [
      { sku: 'MUG-DURABLE', quantity: 2 },
      { sku: 'STICKER-PACK', quantity: 1 },
    ],
    paymentToken: 'tok_visa',
    shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    ...overrides,
  };
}

/** The API on a real port, talking to the stack's namespace. */
export async function listeningApi(stack: Pick<TestStack, 'client'>): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({ client: stack.client, uiUrl: 'http://localhost:8233', logLevel: 'warn' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

let orderCount = 0;

/** An OrderInput as the API would start it: priced lines and a unique order id. */
export function orderInput(overrides: Partial<OrderInput> = {}): OrderInput {
  const lines = overrides.lines ?? [
    { sku: 'MUG-DURABLE', quantity: 2, unitPriceCents: 1400 },
    { sku: 'STICKER-PACK', quantity: 1, unitPriceCents: 500 },
  ];
  return {
    orderId: `t${Date.now().toString(36)}${(orderCount++).toString(36)}`,
    customerId: 'c-ada',
    customerEmail: 'ada@example.com',
    paymentToken: 'tok_visa',
    shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    ...overrides,
    lines,
    totalCents: lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0),
  };
}

/** Starts an OrderWorkflow directly, as the API does. */
export async function startOrder(stack: Pick<TestStack, 'client'>, overrides: Partial<OrderInput> = {}) {
  const order = orderInput(overrides);
  const handle = await stack.client.workflow.start<typeof OrderWorkflow>('OrderWorkflow', {
    workflowId: orderWorkflowId(order.orderId),
    taskQueue: TaskQueues.orders,
    args: [order],
  });
  return { order, handle };
}

/** Polls the order's status query until it reports `status`; fails after `timeoutMs`. */
export async function waitForStatus(handle: WorkflowHandle, status: OrderStatus, timeoutMs = 20_000): Promise<OrderView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await handle.query(orderStatusQuery);
    if (view.status === status) return view;
    if (Date.now() > deadline) throw new Error(`order still ${view.status} after ${timeoutMs} ms, expected ${status}`);
    await sleep(100);
  }
}
