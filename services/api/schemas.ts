// The JSON schemas several routes share. Fastify validates requests and serialises replies from
// them, and @fastify/swagger turns them into the OpenAPI document, so no route checks its input
// by hand and the document cannot drift from the code. Route-specific schemas live with their route.

import { ORDER_STATUSES, STEP_STATES } from '../../workflows/types';

/** The one error shape every route answers with, referenced as `{ $ref: 'Error#' }`. */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  description: 'Every error the API answers, whatever its status code. Never a stack trace.',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', examples: [409] },
    error: { type: 'string', examples: ['Conflict'] },
    message: { type: 'string', examples: ['the order has shipped and can no longer be cancelled'] },
    field: { type: 'string', description: 'The request field that failed, where there is one: "body/items/0/quantity".' },
  },
} as const;

/** Replies of every error status a route can give; each has the Error shape. */
export const errorReplies = (...statusCodes: number[]) =>
  Object.fromEntries(statusCodes.map((code) => [code, { $ref: 'Error#' }])) as Record<number, { $ref: 'Error#' }>;

const id = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'The order id, as POST /orders returned it.' } as const;

export const orderIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id },
} as const;

export const shipmentParams = {
  type: 'object',
  required: ['orderId'],
  additionalProperties: false,
  properties: { orderId: id },
} as const;

/** An optional Idempotency-Key header: retrying a request with the same key does it once. */
export const idempotencyHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      pattern: '^[A-Za-z0-9_.:-]{8,128}$',
      description: 'A key the client makes once per intended request (a UUID, say) and sends again on every retry of it.',
    },
  },
} as const;

export const linksSchema = {
  type: 'object',
  required: ['self', 'events', 'history', 'webUi'],
  properties: {
    self: { type: 'string', description: 'The order: GET it for its status and timeline.' },
    events: { type: 'string', description: 'A server-sent events stream of its status changes.' },
    history: { type: 'string', description: 'Its workflow event history, summarised.' },
    webUi: { type: 'string', description: "The order's workflow in the Temporal Web UI." },
  },
} as const;

const timelineEntry = {
  type: 'object',
  required: ['step', 'state', 'startedAt'],
  properties: {
    step: { type: 'string', examples: ['chargePayment'] },
    state: { type: 'string', enum: STEP_STATES },
    attempts: { type: 'integer', description: "How many attempts the step's activity took." },
    startedAt: { type: 'string', format: 'date-time' },
    endedAt: { type: 'string', format: 'date-time' },
    error: { type: 'string' },
  },
} as const;

/** The order's view as the workflow reports it (its status query or its result), plus links. */
export const orderViewSchema = {
  type: 'object',
  required: ['orderId', 'status', 'timeline', 'links'],
  properties: {
    orderId: { type: 'string' },
    status: { type: 'string', enum: ORDER_STATUSES },
    currentStep: { type: ['string', 'null'] },
    totalCents: { type: 'integer' },
    timeline: { type: 'array', items: timelineEntry },
    approvalDeadline: {
      type: 'string',
      format: 'date-time',
      description: 'While the order awaits approval: when the wait times out and the order is rejected.',
    },
    shipment: {
      type: 'object',
      properties: {
        shipmentId: { type: 'string' },
        carrier: { type: 'string' },
        trackingNumber: { type: 'string' },
        deliveredAt: { type: 'string' },
      },
    },
    failure: { type: 'string', description: 'Why the order did not complete.' },
    links: linksSchema,
  },
} as const;

const pendingActivitySchema = {
  type: 'object',
  required: ['activity', 'workflowId', 'state', 'attempts'],
  properties: {
    activity: { type: 'string', examples: ['authorizePayment'] },
    workflowId: { type: 'string', description: 'The workflow it runs for: the order, or its shipment.', examples: ['shipment-0m4kq8'] },
    state: { type: 'string', examples: ['scheduled', 'started', 'cancel_requested'] },
    attempts: { type: 'integer', description: 'The attempt running now, or about to run.' },
    lastFailure: { type: 'string', description: 'Why the previous attempt failed.' },
  },
} as const;

/** What Temporal knows of an order when the orders worker cannot say: only in an answer whose source is "description". */
export const fallbackSchema = {
  type: 'object',
  description:
    'The status query got no answer in time (no orders worker is up, the query went to a crashed one, or the worker is too busy), so this is what Temporal knows without a worker.',
  required: ['reason', 'workflowStatus', 'startedAt', 'pendingActivities'],
  properties: {
    reason: { type: 'string', examples: ['the status query got no answer within 1000 ms'] },
    workflowStatus: { type: 'string', examples: ['RUNNING'] },
    startedAt: { type: 'string', format: 'date-time' },
    closedAt: { type: 'string', format: 'date-time' },
    pendingActivities: { type: 'array', items: pendingActivitySchema },
  },
} as const;

/**
 * What GET /orders/:id answers and each SSE `status` or `fallback` event carries: the order's
 * view, and where it came from. From the description, the timeline is empty and currentStep null.
 */
export const orderReadSchema = {
  type: 'object',
  required: [...orderViewSchema.required, 'source'],
  properties: {
    ...orderViewSchema.properties,
    source: {
      type: 'string',
      enum: ['query', 'result', 'description'],
      description:
        'query: the orders worker answered the status query; result: the finished order, from its history; description: the query got no answer in time, see `fallback`.',
    },
    fallback: fallbackSchema,
  },
} as const;
