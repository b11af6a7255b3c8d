import { startTemporalCluster, type TemporalCluster } from '../../scripts/lib/temporal-cluster';
import { startOrder, waitForStatus } from '../support/orders';
import { TestStack } from '../support/stack';
import { Stores } from '../support/stores';
import { CLUSTER_NAMESPACE } from './namespace';

// The harness's restart, which a kill-storm test builds on: a cluster of this file's own, since
// killing the suite's server would fail the other files' orders in flight.

let cluster: TemporalCluster;
let stack: TestStack;

beforeAll(async () => {
  cluster = await startTemporalCluster({ namespaces: [CLUSTER_NAMESPACE] });
  // TestStack, its client and its workers connect to TEMPORAL_ADDRESS: this file's cluster.
  process.env.TEMPORAL_ADDRESS = cluster.address;
  stack = await TestStack.start({ namespace: CLUSTER_NAMESPACE, env: { SHIPPING_TRANSIT_MS: '3000' } });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await cluster?.stop();
});

test('an order in flight when the Temporal server is killed completes once it restarts, charged once: its state is in PostgreSQL', async () => {
  const { order, handle } = await startOrder(stack);
  await waitForStatus(handle, 'shipping');

  await cluster.stopServer('SIGKILL');
  await cluster.startServer();

  expect((await handle.result()).status).toBe('completed');
  expect(new Stores(stack.dataDir).ledger(order.orderId).map(({ movement }) => movement)).toEqual(['authorize', 'capture']);
}, 180_000);
