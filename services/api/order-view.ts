import type { WorkflowExecutionDescription } from '@temporalio/client';
import { orderWorkflowId, shipmentWorkflowId } from '../../workflows/ids';
import { orderStatusQuery } from '../../workflows/messages';
import type { OrderView } from '../../workflows/types';
import type { ApiContext } from './context';

/**
 * The order's status and timeline. A running order answers the `status` query, which needs the
 * orders worker; a completed one is read from its result in the history, which needs no worker,
 * so finished orders stay readable while the orders worker is down. Every call has a deadline:
 * a query with no worker to answer it ends in a 503, not a hung request.
 */
export async function readOrderView(context: ApiContext, orderId: string, timeoutMs?: number): Promise<OrderView> {
  const { client, call } = context;
  const handle = client.workflow.getHandle(orderWorkflowId(orderId));
  const description = await call(() => handle.describe(), timeoutMs);
  if (description.status.name === 'COMPLETED') return await call(() => handle.result(), timeoutMs);
  const view = await call(() => handle.query(orderStatusQuery), timeoutMs);
  // The workflow knows a step is running, not how its retries go: Temporal does. The shipment
  // step's activities run in the child workflow, so ask that one.
  const retrying = view.currentStep === 'shipOrder' ? await call(() => client.workflow.getHandle(shipmentWorkflowId(orderId)).describe(), timeoutMs) : description;
  return withRetries(view, retrying);
}

/** Puts the attempt count and last failure of the running step's activity on its timeline entry. */
function withRetries(view: OrderView, description: WorkflowExecutionDescription): OrderView {
  const pending = description.raw.pendingActivities ?? [];
  const running = view.timeline.find((entry) => entry.state === 'running');
  if (!running || pending.length === 0) return view;
  const latest = pending.reduce((most, activity) => ((activity.attempt ?? 0) > (most.attempt ?? 0) ? activity : most));
  running.attempts = latest.attempt ?? 1;
  const lastError = latest.lastFailure?.message;
  if (lastError) running.error = lastError;
  return view;
}
