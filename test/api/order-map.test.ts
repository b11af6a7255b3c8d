import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { projectRoot } from '../../services/common/paths';
import { orderWorkflowId, shipmentWorkflowId } from '../../workflows/ids';
import type { OrderView } from '../../workflows/types';
import { listeningApi, orderRequest, waitForStatus } from '../support/orders';
import { TestStack } from '../support/stack';
import { expectErrorShape } from './support';

// GET /orders/:id/map against the real stack: a shipping worker is SIGKILLed while it tracks a
// shipment, its replacement finishes the order, and the map shows both workers and the retry.

/** Where the test leaves the map of the run with a kill, the README's example. */
const MAP_OUTPUT = path.join(projectRoot, 'test-output', 'maps', 'order-with-a-killed-worker.mmd');

let stack: TestStack;
let api: { app: FastifyInstance; url: string };

beforeAll(async () => {
  // Transit takes 3s, so the shipping worker can be killed while trackShipment runs.
  stack = await TestStack.start({ namespace: 'order-map', env: { SHIPPING_TRANSIT_MS: '3000' } });
  api = await listeningApi(stack);
}, 120_000);

afterAll(async () => {
  await api?.app.close();
  await stack?.stop();
});

async function readMap(orderId: string): Promise<{ status: number; body: { mermaid: string } }> {
  const response = await fetch(`${api.url}/orders/${orderId}/map`);
  return { status: response.status, body: (await response.json()) as { mermaid: string } };
}

/** Waits until the shipment's trackShipment has heartbeated once: it is running on a worker. */
async function waitForTracking(orderId: string): Promise<void> {
  const shipment = stack.client.workflow.getHandle(shipmentWorkflowId(orderId));
  for (let tries = 0; tries < 100; tries++) {
    const pending = await shipment
      .describe()
      .then((description) => description.raw.pendingActivities ?? [])
      .catch(() => []);
    if (pending.some((activity) => activity.activityType?.name === 'trackShipment' && activity.heartbeatDetails != null)) return;
    await sleep(200);
  }
  throw new Error('trackShipment never heartbeated');
}

test('an unknown order has no map: 404 in the JSON error shape', async () => {
  const { status, body } = await readMap('no-such-order');
  expect(status).toBe(404);
  expectErrorShape(body, 404);
});

test('a shipping worker killed mid-activity: the map shows both shipping workers, the retry after the heartbeat timeout, and the replay', async () => {
  const placed = await fetch(`${api.url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(orderRequest()),
  });
  const { orderId } = (await placed.json()) as { orderId: string };
  const handle = stack.client.workflow.getHandle(orderWorkflowId(orderId));
  await waitForStatus(handle, 'shipping');
  await waitForTracking(orderId);

  const killed = stack.workers.get('shipping')!.pid;
  await stack.stopWorker('shipping', 'SIGKILL');
  const replacement = (await stack.startWorker('shipping')).pid;
  expect(((await handle.result()) as OrderView).status).toBe('completed');

  const { status, body } = await readMap(orderId);
  expect(status).toBe(200);
  const map = body.mermaid;
  fs.mkdirSync(path.dirname(MAP_OUTPUT), { recursive: true });
  fs.writeFileSync(MAP_OUTPUT, `${map}\n`);

  expect(map.startsWith('sequenceDiagram\n')).toBe(true);
  expect(map).toContain('participant API as Client (API)');
  expect(map).toContain('participant Temporal');
  const participant = (pid: number | undefined) => new RegExp(`participant (W\\d+) as shipping worker ${pid}@`);
  const [, before] = participant(killed).exec(map) ?? [];
  const [, after] = participant(replacement).exec(map) ?? [];
  expect(before).toBeDefined();
  expect(after).toBeDefined();
  for (const service of ['orders', 'inventory', 'payment', 'email'])
    expect(map).toMatch(new RegExp(`participant W\\d+ as ${service} worker \\d+@`));

  // The killed worker booked the shipment; the heartbeat timeout ended its attempt; the replacement ran the second.
  expect(map).toContain(`Temporal->>${before}: bookShipment`);
  expect(map).toContain('Note over Temporal: retry of trackShipment: attempt 1 failed (heartbeat timeout: its worker stopped answering)');
  expect(map).toContain(`Temporal->>${after}: trackShipment, attempt 2`);
  expect(map).toContain(`${after}-->>Temporal: trackShipment done`);
  expect(map).toContain(`Note over ${after}: replays the history, then carries on`);
  expect(map).toContain(`Note over Temporal: child ${shipmentWorkflowId(orderId)}, from its own history`);
  expect(map).toContain(`Temporal-->>API: result of ${orderWorkflowId(orderId)}`);
}, 120_000);
