import path from 'node:path';
import { ServiceProcess } from '../../scripts/lib/launcher';
import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres';
import { SERVICES } from '../../workflows/task-queues';
import { startOrder } from '../support/orders';
import { TEST_ENCRYPTION_KEYS, TestStack, temporalAddress } from '../support/stack';

// The fraud service's store on PostgreSQL (FRAUD_DATABASE_URL), with two replicas of the Python
// worker sharing it: the migrations run once, and every order is screened once.

let postgres: PostgresServer;
let stack: TestStack;
let replica: ServiceProcess;

beforeAll(async () => {
  postgres = await startPostgres();
  const url = await postgres.createDatabase('fraud', { name: 'fraud', password: 'fraud-secret' });
  stack = await TestStack.start({ namespace: 'fraud-postgres', services: SERVICES.filter((service) => service !== 'fraud') });
  replica = new ServiceProcess({
    service: 'fraud',
    name: 'fraud-2',
    env: {
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: stack.namespace,
      ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
      FRAUD_DATABASE_URL: url,
    },
    output: { logFile: path.join(stack.dataDir, 'fraud-2.log') },
    restart: 'never',
  });
  await Promise.all([stack.startWorker('fraud', { FRAUD_DATABASE_URL: url }), replica.start()]);
}, 120_000);

afterAll(async () => {
  await replica?.stop();
  await stack?.stop();
  await postgres?.destroy();
});

test('two fraud workers on one PostgreSQL database migrate it once and screen each order once', async () => {
  const orders = await Promise.all(Array.from({ length: 6 }, () => startOrder(stack)));

  const results = await Promise.all(orders.map(({ handle }) => handle.result()));

  expect(results.map((result) => result.status)).toEqual(Array(6).fill('completed'));
  const ids = orders.map(({ order }) => `'${order.orderId}'`).join(',');
  const screened = await postgres.sql(`select count(*), count(distinct order_id) from screenings where order_id in (${ids})`, 'fraud');
  expect(screened.trim()).toMatch(/^6\|6$|\b6\s*\|\s*6\b/);
  const migrations = await postgres.sql(`select version from schema_migrations where service = 'fraud'`, 'fraud');
  expect(
    migrations
      .trim()
      .split(/\s+/)
      .filter((line) => /^\d+$/.test(line)),
  ).toEqual(['1']);
}, 120_000);
