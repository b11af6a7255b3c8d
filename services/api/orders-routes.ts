import type { FastifyInstance } from 'fastify';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { orderWorkflowId } from '../../workflows/ids';
import { CustomerIdKey, OrderStatusKey, OrderTotalKey } from '../../workflows/search-attributes';
import { TaskQueues } from '../../workflows/task-queues';
import type { OrderStatus } from '../../workflows/types';
import { logOrder, type ApiContext } from './context';
import { ApiError } from './errors';
import { listOrders } from './order-list';
import { orderIdFor, orderInput, requestHash, type PlaceOrderRequest } from './order-placement';
import { readOrderView } from './order-view';
import { errorReplies, idempotencyHeaders, linksSchema, ORDER_STATUSES, orderIdParams, orderViewSchema } from './schemas';

const placeOrderBody = {
  type: 'object',
  required: ['customerId', 'customerEmail', 'items', 'paymentToken', 'shippingAddress'],
  additionalProperties: false,
  properties: {
    customerId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' },
    customerEmail: { type: 'string', format: 'email', maxLength: 254 },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        required: ['sku', 'quantity'],
        additionalProperties: false,
        properties: {
          sku: { type: 'string', minLength: 1, maxLength: 64, examples: ['MUG-DURABLE'] },
          quantity: { type: 'integer', minimum: 1, maximum: 100 },
        },
      },
    },
    paymentToken: { type: 'string', minLength: 1, maxLength: 128, description: 'A card gateway token, never a card number.', examples: ['tok_visa'] },
    shippingAddress: {
      type: 'object',
      required: ['name', 'line1', 'city', 'postalCode', 'country'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 },
        line1: { type: 'string', minLength: 1, maxLength: 200 },
        city: { type: 'string', minLength: 1, maxLength: 100 },
        postalCode: { type: 'string', minLength: 1, maxLength: 20 },
        country: { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 code.' },
      },
    },
  },
} as const;

const placedOrderReply = {
  type: 'object',
  required: ['orderId', 'workflowId', 'status', 'totalCents', 'links'],
  properties: {
    orderId: { type: 'string' },
    workflowId: { type: 'string' },
    status: { type: 'string', enum: ['received'] },
    totalCents: { type: 'integer' },
    links: linksSchema,
  },
} as const;

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ORDER_STATUSES },
    customerId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    pageToken: { type: 'string', minLength: 3, maxLength: 4096, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$', description: 'nextPageToken of the previous page, with the same filter.' },
  },
} as const;

const orderListReply = {
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
        },
      },
    },
    nextPageToken: { type: 'string', description: 'Pass it as pageToken for the next page; absent on the last page.' },
  },
} as const;

interface PlaceOrderHeaders {
  'idempotency-key'?: string;
}

/** POST /orders, GET /orders and GET /orders/:id. */
export async function ordersRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { client, call, links } = context;

  app.post<{ Body: PlaceOrderRequest; Headers: PlaceOrderHeaders }>(
    '/orders',
    {
      schema: {
        summary: 'Place an order',
        description:
          'Starts the OrderWorkflow. With an Idempotency-Key, a retry returns the same order and starts nothing; the same key with a different body is a 409.',
        tags: ['orders'],
        security: [{ apiKey: [] }],
        headers: idempotencyHeaders,
        body: placeOrderBody,
        response: { 201: placedOrderReply, ...errorReplies(400, 401, 409, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const order = orderInput(orderIdFor(key), request.body);
      const workflowId = orderWorkflowId(order.orderId);
      logOrder(request, reply, order.orderId, workflowId);
      const hash = requestHash(request.body);
      try {
        await call(() =>
          client.workflow.start('OrderWorkflow', {
            workflowId,
            taskQueue: TaskQueues.orders,
            args: [order],
            // FAIL, not USE_EXISTING: Temporal's refusal is exactly when a retry must be compared
            // with the original. REJECT_DUPLICATE: a finished order is not placed again either.
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            memo: { requestHash: hash },
            // Set at start so the order is listed by customer before the orders worker has run it.
            typedSearchAttributes: [
              { key: OrderStatusKey, value: 'received' },
              { key: CustomerIdKey, value: order.customerId },
              { key: OrderTotalKey, value: order.totalCents / 100 },
            ],
          }),
        );
        request.log.info({ totalCents: order.totalCents }, 'order placed');
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError) || key === undefined) throw err;
        const { memo } = await call(() => client.workflow.getHandle(workflowId).describe());
        if (memo?.requestHash !== hash) {
          throw new ApiError(409, 'this Idempotency-Key was used for a different order', 'headers/idempotency-key');
        }
        request.log.info('order placed before with this Idempotency-Key; returning it');
        reply.header('idempotent-replayed', 'true');
      }
      return reply
        .code(201)
        .header('location', `/orders/${order.orderId}`)
        .send({ orderId: order.orderId, workflowId, status: 'received', totalCents: order.totalCents, links: links(order.orderId) });
    },
  );

  app.get<{ Querystring: { status?: OrderStatus; customerId?: string; pageSize: number; pageToken?: string } }>(
    '/orders',
    {
      schema: {
        summary: 'List orders',
        description:
          "From Temporal's Visibility store, filtered on the OrderStatus and CustomerId search attributes. Eventually consistent: a change shows up within about a second.",
        tags: ['orders'],
        querystring: listQuery,
        response: { 200: orderListReply, ...errorReplies(400, 429, 503) },
      },
    },
    async (request) => listOrders(context, request.query),
  );

  app.get<{ Params: { id: string } }>(
    '/orders/:id',
    {
      schema: {
        summary: "An order's status and step timeline",
        tags: ['orders'],
        params: orderIdParams,
        response: { 200: orderViewSchema, ...errorReplies(400, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      logOrder(request, reply, request.params.id);
      const view = await readOrderView(context, request.params.id);
      return { ...view, links: links(request.params.id) };
    },
  );
}
