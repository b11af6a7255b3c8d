import { orderWorkflowId } from '../../workflows/ids';
import { orderStatusQuery } from '../../workflows/messages';
import type { OrderView } from '../../workflows/types';
import type { ApiContext } from './context';

/**
 * The order's status and timeline. A running order answers the `status` query, which needs the
 * orders worker; a completed one is read from its result in the history, which needs no worker,
 * so finished orders stay readable while the orders worker is down. Every call has a deadline:
 * a query with no worker to answer it ends in a 503, not a hung request.
 */
export async function readOrderView({ client, call }: ApiContext, orderId: string, timeoutMs?: number): Promise<OrderView> {
  const handle = client.workflow.getHandle(orderWorkflowId(orderId));
  const { status } = await call(() => handle.describe(), timeoutMs);
  if (status.name === 'COMPLETED') return await call(() => handle.result(), timeoutMs);
  return await call(() => handle.query(orderStatusQuery), timeoutMs);
}
