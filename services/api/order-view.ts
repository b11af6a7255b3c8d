import type { WorkflowExecutionDescription } from '@temporalio/client';
import { orderWorkflowId, shipmentWorkflowId } from '../../workflows/ids';
import { orderStatusQuery } from '../../workflows/messages';
import type { OrderView } from '../../workflows/types';
import type { ApiContext } from './context';
import { describedOrder, type DescribedOrder } from './order-fallback';
import { isNotFound, isTemporalUnavailable } from './temporal-calls';

/** An order as GET /orders/:id reads it, links aside: the workflow's own view, or Temporal's description when the worker cannot answer. */
export type OrderRead = (OrderView & { source: 'query' | 'result' }) | DescribedOrder;

/**
 * The order's status and timeline. The order exists when its workflow does: describing it is
 * the one lookup that can answer 404. A completed order is read from its result in the history,
 * which needs no worker. A running one answers the `status` query, which needs the orders
 * worker; if no worker answers within the query's own short deadline (none is up, or the query
 * went to a crashed worker's sticky queue), the answer is the workflow's description instead.
 */
export async function readOrderView(context: ApiContext, orderId: string): Promise<OrderRead> {
  const { client, call, queryTimeoutMs } = context;
  const handle = client.workflow.getHandle(orderWorkflowId(orderId));
  const description = await call(() => handle.describe());
  if (description.status.name === 'COMPLETED') return { ...(await call(() => handle.result())), source: 'result' };
  if (description.closeTime)
    return describedOrder(orderId, description, [], `the workflow ended without a result (${description.status.name})`);
  try {
    const view = await call(() => handle.query(orderStatusQuery), queryTimeoutMs);
    return { ...(await withRetries(context, view, description)), source: 'query' };
  } catch (err) {
    // Described a moment ago: a workflow gone since is gone.
    if (isNotFound(err)) throw err;
    const reason = isTemporalUnavailable(err)
      ? `the status query got no answer within ${queryTimeoutMs} ms`
      : `the status query failed: ${(err as Error).message}`;
    return describedOrder(orderId, description, await pendingChildren(context, description), reason);
  }
}

/**
 * Puts the attempt count and last failure of the running step's activity on its timeline entry.
 * The workflow knows a step is running, not how its retries go: Temporal does. The shipment
 * step's activities run in the child workflow, which may not exist yet: then there is nothing to add.
 */
async function withRetries(context: ApiContext, view: OrderView, description: WorkflowExecutionDescription): Promise<OrderView> {
  const running = view.timeline.find((entry) => entry.state === 'running');
  if (!running) return view;
  const retrying = view.currentStep === 'shipOrder' ? await optionalDescription(context, shipmentWorkflowId(view.orderId)) : description;
  const pending = retrying?.raw.pendingActivities ?? [];
  if (pending.length === 0) return view;
  const latest = pending.reduce((most, activity) => ((activity.attempt ?? 0) > (most.attempt ?? 0) ? activity : most));
  running.attempts = latest.attempt ?? 1;
  const lastError = latest.lastFailure?.message;
  if (lastError) running.error = lastError;
  return view;
}

/** The descriptions of the order's running child workflows (its shipment) that Temporal gives within the query deadline. */
async function pendingChildren(context: ApiContext, description: WorkflowExecutionDescription): Promise<WorkflowExecutionDescription[]> {
  const ids = (description.raw.pendingChildren ?? []).map((child) => child.workflowId).filter((id): id is string => !!id);
  const children = await Promise.all(ids.map((id) => optionalDescription(context, id)));
  return children.filter((child): child is WorkflowExecutionDescription => child !== undefined);
}

/** A detail of the order, not the order: a workflow that does not exist (yet) or does not answer in time is left out. */
async function optionalDescription(
  { client, call, queryTimeoutMs }: ApiContext,
  workflowId: string,
): Promise<WorkflowExecutionDescription | undefined> {
  try {
    return await call(() => client.workflow.getHandle(workflowId).describe(), queryTimeoutMs);
  } catch (err) {
    if (isNotFound(err) || isTemporalUnavailable(err)) return undefined;
    throw err;
  }
}
