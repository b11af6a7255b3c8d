import type { ServiceProcess } from '../../scripts/lib/launcher';
import { setCurrentVersion, setRampingVersion, stopRamp, workflowBuildId } from '../../scripts/lib/worker-deployments';
import { deploymentName } from '../../services/common/worker-versioning';
import { startOrder } from '../support/orders';
import { TestStack } from '../support/stack';

let stack: TestStack;
let buildB: ServiceProcess;

const orders = deploymentName('orders');

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'versioning-ramp', env: { WORKER_BUILD_ID: 'build-a' } });
  buildB = await stack.startBuild('orders', 'build-b');
});

afterAll(async () => {
  await buildB?.stop();
  await stack?.stop();
});

/** Places `count` orders, waits for them to finish, and returns the build id each ran on. */
async function placeOrders(count: number): Promise<string[]> {
  const handles = await Promise.all(Array.from({ length: count }, async () => (await startOrder(stack)).handle));
  const results = await Promise.all(handles.map((handle) => handle.result()));
  expect(results.map((result) => result.status)).toEqual(results.map(() => 'completed'));
  return Promise.all(handles.map(async (handle) => (await workflowBuildId(stack.client, handle.workflowId)) ?? 'none'));
}

test('with build A current, every new order runs on A and build B gets none', async () => {
  expect(new Set(await placeOrders(5))).toEqual(new Set(['build-a']));
});

test('a 30% ramp to build B sends a share of 40 new orders to B (between 10% and 60%, a loose band for chance)', async () => {
  await setRampingVersion(stack.client, { deploymentName: orders, buildId: 'build-b' }, 30);
  const builds = await placeOrders(40);
  const onB = builds.filter((build) => build === 'build-b').length;
  expect(builds.filter((build) => build !== 'build-a' && build !== 'build-b')).toEqual([]);
  expect(onB).toBeGreaterThanOrEqual(4);
  expect(onB).toBeLessThanOrEqual(24);
});

test('a rollback (A current, the ramp at zero) sends every new order back to A', async () => {
  await setCurrentVersion(stack.client, { deploymentName: orders, buildId: 'build-a' });
  await stopRamp(stack.client, orders);
  expect(new Set(await placeOrders(10))).toEqual(new Set(['build-a']));
});
