import { RESTOCK_SCHEDULE_ID } from '../../services/inventory/schedule';
import { startOrder } from '../support/orders';
import { TestStack } from '../support/stack';
import { Stores } from '../support/stores';

let stack: TestStack;
let stores: Stores;

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'orders' });
  stores = new Stores(stack.dataDir);
});

afterAll(() => stack?.stop());

test('the inventory worker creates the nightly restock schedule, once however often it starts', async () => {
  await stack.stopWorker('inventory');
  await stack.startWorker('inventory');

  const schedules: string[] = [];
  for await (const schedule of stack.client.schedule.list()) schedules.push(schedule.scheduleId);
  expect(schedules).toEqual([RESTOCK_SCHEDULE_ID]);

  const description = await stack.client.schedule.getHandle(RESTOCK_SCHEDULE_ID).describe();
  expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'RestockWorkflow', taskQueue: 'inventory' });
  expect(description.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }] });
});

test('a triggered restock run tops up a product that has sold out', async () => {
  const stock = stores.stock('POSTER-LIMITED');
  const { handle } = await startOrder(stack, { lines: [{ sku: 'POSTER-LIMITED', quantity: stock, unitPriceCents: 15000 }] });
  expect((await handle.result()).status).toBe('completed');
  expect(stores.stock('POSTER-LIMITED')).toBe(0);

  await stack.client.schedule.getHandle(RESTOCK_SCHEDULE_ID).trigger();
  const deadline = Date.now() + 20_000;
  while (stores.stock('POSTER-LIMITED') === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));

  expect(stores.stock('POSTER-LIMITED')).toBe(stock);
});
