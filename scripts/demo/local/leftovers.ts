import type { Client } from '@temporalio/client';

// Each local run keeps its stores in a fresh folder, so an order an interrupted run left open in
// the namespace would be finished by this run's workers, into this run's stores, and the audit
// would rightly count it as a stranger. The run starts clean instead, and says so.

/** Terminates the orders an earlier run left running in the namespace; resolves with how many. */
export async function terminateLeftoverOrders(client: Client, log: (line: string) => void): Promise<number> {
  const open: string[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowType = 'OrderWorkflow' AND ExecutionStatus = 'Running'` }))
    open.push(execution.workflowId);
  // Their shipments end with them: a child's parent-close policy is to terminate.
  await Promise.all(open.map((workflowId) => client.workflow.getHandle(workflowId).terminate('left open by an interrupted demo run')));
  if (open.length > 0)
    log(`terminated ${open.length} orders left open in namespace "${client.options.namespace}" by an earlier, interrupted run`);
  return open.length;
}
