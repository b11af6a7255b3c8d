import type { ServiceProcess } from '../../scripts/lib/launcher';
import { setCurrentVersion, workflowBuildId } from '../../scripts/lib/worker-deployments';
import { deploymentName } from '../../services/common/worker-versioning';
import { approveOrderUpdate } from '../../workflows/messages';
import { startOrder, waitForStatus } from '../support/orders';
import { TestStack } from '../support/stack';

// Build A runs first, so the first worker's start made it current; build B of the orders worker
// then starts beside it and is promoted by hand, as a rollout does.

let stack: TestStack;
let buildB: ServiceProcess;

const orders = deploymentName('orders');
// Above the approval threshold, so the order waits, started on A, while B becomes current.
const bigOrder = { lines: [{ sku: 'HOODIE-REPLAY', quantity: 17, unitPriceCents: 6000 }] };

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'versioning-pinned', env: { WORKER_BUILD_ID: 'build-a' } });
  buildB = await stack.startBuild('orders', 'build-b');
});

afterAll(async () => {
  await buildB?.stop();
  await stack?.stop();
});

test('an order started on build A finishes on build A after build B is made current, and new orders run on B', async () => {
  const { handle } = await startOrder(stack, bigOrder);
  await waitForStatus(handle, 'awaiting_approval');
  expect(await workflowBuildId(stack.client, handle.workflowId)).toBe('build-a');

  await setCurrentVersion(stack.client, { deploymentName: orders, buildId: 'build-b' });
  await handle.executeUpdate(approveOrderUpdate, { args: [{ approvedBy: 'grace@shop.example' }] });

  expect((await handle.result()).status).toBe('completed');
  expect(await workflowBuildId(stack.client, handle.workflowId)).toBe('build-a');
  const completedOn = await workflowTaskBuildIds(handle.workflowId);
  expect(new Set(completedOn)).toEqual(new Set(['build-a']));

  // B's orders call payment, inventory and email on their own deployments' current version (A): activities are not pinned.
  const { handle: next } = await startOrder(stack);
  expect((await next.result()).status).toBe('completed');
  expect(await workflowBuildId(stack.client, next.workflowId)).toBe('build-b');
});

/** The build id of the worker that completed each workflow task, from the history. */
async function workflowTaskBuildIds(workflowId: string): Promise<string[]> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((event) => event.workflowTaskCompletedEventAttributes)
    .filter((completed) => completed != null)
    .map((completed) => completed.deploymentVersion?.buildId ?? completed.workerVersion?.buildId ?? '?');
}
