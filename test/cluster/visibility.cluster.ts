import type { FastifyInstance } from 'fastify';
import { temporal } from '@temporalio/proto';
import { TaskQueues } from '../../workflows/task-queues';
import type { OrderView } from '../../workflows/types';
import { eventually } from '../api/support';
import { listeningApi, orderRequest } from '../support/orders';
import { TestStack } from '../support/stack';
import { CLUSTER_NAMESPACE } from './namespace';

// What the dev server gives for free and the cluster must give too: the order list on
// PostgreSQL visibility with the custom search attributes, and the task queue's pollers and
// backlog that the demo's queue table reads.

const { TaskQueueType } = temporal.api.enums.v1;

let stack: TestStack;
let api: { app: FastifyInstance; url: string };

beforeAll(async () => {
  stack = await TestStack.start({ namespace: CLUSTER_NAMESPACE });
  api = await listeningApi(stack);
}, 120_000);

afterAll(async () => {
  await api?.app.close();
  await stack?.stop();
});

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function placeOrder(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${api.url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { orderId: string }).orderId;
}

const listed = async (query: string): Promise<{ orderId: string; status: string; customerId: string; totalCents: number }[]> =>
  ((await (await fetch(`${api.url}/orders?${query}`)).json()) as { orders: [] }).orders;

const finalStatus = (orderId: string, status: string) =>
  eventually(async () => expect(((await (await fetch(`${api.url}/orders/${orderId}`)).json()) as OrderView).status).toBe(status), 30_000);

const paymentQueue = () =>
  stack.client.workflowService.describeTaskQueue({
    namespace: CLUSTER_NAMESPACE,
    taskQueue: { name: TaskQueues.payment },
    taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    reportStats: true,
  });

test('the order list filters by the custom search attributes on PostgreSQL visibility: status and customer, with the total', async () => {
  const ada = unique('c-ada');
  const grace = unique('c-grace');
  const adaCompleted = await placeOrder(orderRequest({ customerId: ada }));
  const adaDeclined = await placeOrder(orderRequest({ customerId: ada, paymentToken: 'tok_declined' }));
  const graceCompleted = await placeOrder(orderRequest({ customerId: grace }));
  await finalStatus(adaCompleted, 'completed');
  await finalStatus(adaDeclined, 'failed');
  await finalStatus(graceCompleted, 'completed');

  await eventually(async () => {
    expect(await listed(`customerId=${ada}&status=completed`)).toEqual([
      expect.objectContaining({ orderId: adaCompleted, status: 'completed', customerId: ada, totalCents: 3300 }),
    ]);
    expect((await listed(`customerId=${ada}&status=failed`)).map((order) => order.orderId)).toEqual([adaDeclined]);
    expect((await listed(`customerId=${ada}`)).map((order) => order.orderId).sort()).toEqual([adaCompleted, adaDeclined].sort());
    expect((await listed(`customerId=${grace}`)).map((order) => order.orderId)).toEqual([graceCompleted]);
  });
}, 90_000);

test('DescribeTaskQueue shows the payment worker polling its queue, then a backlog while it is down, which its return drains', async () => {
  await eventually(async () => expect((await paymentQueue()).pollers.length).toBeGreaterThan(0));

  await stack.stopWorker('payment');
  const orderId = await placeOrder(orderRequest({ customerId: unique('c-backlog') }));
  await eventually(async () => {
    const { stats } = await paymentQueue();
    expect(Number(stats?.approximateBacklogCount ?? 0)).toBeGreaterThan(0);
  }, 30_000);

  await stack.startWorker('payment');
  await finalStatus(orderId, 'completed');
  await eventually(async () => expect(Number((await paymentQueue()).stats?.approximateBacklogCount ?? 0)).toBe(0), 30_000);
}, 90_000);
