import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { orderWorkflowId } from '../../workflows/ids';
import { readableHistoryEvents } from '../common/encryption-readable-failures';
import type { OrderLinker } from './links';
import type { TemporalCall } from './temporal-calls';

/** What every route plugin gets: the Temporal client, calls to it with a deadline, and the order links. */
export interface ApiContext {
  client: Client;
  call: TemporalCall;
  /** The deadline `call` gives each call, for routes that wait in more than one step. */
  timeoutMs: number;
  /** The status query's own, shorter deadline: past it, an order is read from its workflow's description instead. */
  queryTimeoutMs: number;
  links: OrderLinker;
}

/** Puts the order id and workflow id on every later log line of this request, "request completed" included. */
export function logOrder(request: FastifyRequest, reply: FastifyReply, orderId: string, workflowId = orderWorkflowId(orderId)): void {
  const log = request.log.child({ orderId, workflowId });
  request.log = log;
  reply.log = log;
}

/** A workflow's history events, fetched with the call's deadline, their failures decoded for people to read. */
export async function readableHistory(
  { client, call }: ApiContext,
  workflowId: string,
  runId?: string,
): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  const { events } = await call(() => client.workflow.getHandle(workflowId, runId).fetchHistory());
  return readableHistoryEvents(client.options.loadedDataConverter, events ?? []);
}
