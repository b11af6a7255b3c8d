import { createHash } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { FromSchema } from 'json-schema-to-ts';
import { ApprovalDeadlineKey, CustomerIdKey, OrderStatusKey, OrderTotalKey } from '../../workflows/search-attributes';
import { ORDER_STATUSES } from '../../workflows/types';
import type { ApiContext } from './context';
import { ApiError } from './errors';

// GET /orders reads Temporal's Visibility store, filtered on the search attributes the
// OrderWorkflow keeps up to date. Visibility is eventually consistent: an order placed or moved
// a moment ago shows up, or shows its new status, within about a second, not at once.

/** The query string of GET /orders: the filter and the page. */
export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ORDER_STATUSES },
    customerId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    pageToken: {
      type: 'string',
      minLength: 3,
      maxLength: 4096,
      pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
      description: 'nextPageToken of the previous page, with the same filter.',
    },
  },
} as const;

/** What GET /orders answers. */
export const orderListReply = {
  type: 'object',
  required: ['orders'],
  properties: {
    orders: {
      type: 'array',
      items: {
        type: 'object',
        required: ['orderId', 'workflowId', 'workflowStatus'],
        properties: {
          orderId: { type: 'string' },
          workflowId: { type: 'string' },
          status: { type: 'string', description: 'The OrderStatus search attribute.' },
          customerId: { type: 'string' },
          totalCents: { type: 'integer' },
          workflowStatus: { type: 'string', examples: ['RUNNING', 'COMPLETED'] },
          startedAt: { type: 'string', format: 'date-time' },
          closedAt: { type: 'string', format: 'date-time' },
          approvalDeadline: {
            type: 'string',
            format: 'date-time',
            description: 'While the order awaits approval: when the wait times out (the ApprovalDeadline search attribute).',
          },
        },
      },
    },
    nextPageToken: { type: 'string', description: 'Pass it as pageToken for the next page; absent on the last page.' },
  },
} as const;

export type OrderListFilter = FromSchema<typeof listQuery>;

type OrderList = FromSchema<typeof orderListReply>;

type OrderSummary = OrderList['orders'][number];

const ORDER_ID_PREFIX = 'order-';

/** A Visibility string literal. The schemas already restrict these values; escaping makes the query safe regardless. */
const literal = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The Visibility query for a filter: only OrderWorkflows, newest first. */
export function visibilityQuery({ status, customerId }: Pick<OrderListFilter, 'status' | 'customerId'>): string {
  const conditions = [`WorkflowType = 'OrderWorkflow'`];
  if (status) conditions.push(`${OrderStatusKey.name} = ${literal(status)}`);
  if (customerId) conditions.push(`${CustomerIdKey.name} = ${literal(customerId)}`);
  return conditions.join(' AND ');
}

const toIso = (ts: temporal.api.workflow.v1.IWorkflowExecutionInfo['startTime']): string | undefined =>
  ts?.seconds == null ? undefined : new Date(Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();

function searchAttribute<T>(info: temporal.api.workflow.v1.IWorkflowExecutionInfo, name: string): T | undefined {
  const payload = info.searchAttributes?.indexedFields?.[name];
  return payload ? defaultPayloadConverter.fromPayload<T>(payload) : undefined;
}

/** RUNNING, COMPLETED, FAILED...: the workflow's own status, beside the order's business status. */
const workflowStatusName = (status: temporal.api.enums.v1.WorkflowExecutionStatus | null | undefined): string =>
  (temporal.api.enums.v1.WorkflowExecutionStatus[status ?? 0] ?? 'UNSPECIFIED').replace('WORKFLOW_EXECUTION_STATUS_', '');

function summary(info: temporal.api.workflow.v1.IWorkflowExecutionInfo): OrderSummary {
  const workflowId = info.execution?.workflowId ?? '';
  const total = searchAttribute<number>(info, OrderTotalKey.name);
  const deadline = searchAttribute<string>(info, ApprovalDeadlineKey.name);
  return {
    orderId: workflowId.startsWith(ORDER_ID_PREFIX) ? workflowId.slice(ORDER_ID_PREFIX.length) : workflowId,
    workflowId,
    status: searchAttribute<string>(info, OrderStatusKey.name),
    customerId: searchAttribute<string>(info, CustomerIdKey.name),
    ...(total !== undefined && { totalCents: Math.round(total * 100) }),
    workflowStatus: workflowStatusName(info.status),
    startedAt: toIso(info.startTime),
    closedAt: toIso(info.closeTime),
    ...(deadline && { approvalDeadline: new Date(deadline).toISOString() }),
  };
}

/**
 * Visibility's page token, bound to the query it pages through. A token that was not issued for
 * this filter is refused here (400), because Visibility itself answers a malformed token with an
 * internal error, not a refusal.
 */
const pageTokenSeal = (query: string, raw: Uint8Array): string =>
  createHash('sha256').update(query).update(raw).digest('base64url').slice(0, 16);

function encodePageToken(query: string, raw: Uint8Array): string {
  return `${Buffer.from(raw).toString('base64url')}.${pageTokenSeal(query, raw)}`;
}

function decodePageToken(query: string, token: string): Buffer {
  const [encoded, seal] = token.split('.');
  const raw = Buffer.from(encoded ?? '', 'base64url');
  if (raw.length === 0 || seal !== pageTokenSeal(query, raw)) {
    throw new ApiError(
      400,
      'pageToken was not issued for this filter: pass the nextPageToken of the previous page, with the same filter',
      'querystring/pageToken',
    );
  }
  return raw;
}

/** One page of orders, newest first as Visibility orders them. */
export async function listOrders({ client, call }: ApiContext, filter: OrderListFilter): Promise<OrderList> {
  const query = visibilityQuery(filter);
  const page = await call(() =>
    client.workflowService.listWorkflowExecutions({
      namespace: client.options.namespace,
      query,
      pageSize: filter.pageSize,
      nextPageToken: filter.pageToken ? decodePageToken(query, filter.pageToken) : undefined,
    }),
  );
  const next = page.nextPageToken && page.nextPageToken.length > 0 ? encodePageToken(query, page.nextPageToken) : undefined;
  return { orders: page.executions.map(summary), ...(next && { nextPageToken: next }) };
}
