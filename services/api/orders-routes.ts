import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { orderWorkflowId } from '../../workflows/ids';
import { OrderWorkflow } from '../../workflows/order';
import { orderMetadata } from '../../workflows/order-summaries';
import { orderStartAttributes } from '../../workflows/search-attributes';
import { TaskQueues } from '../../workflows/task-queues';
import { logOrder, type ApiContext } from './context';
import { ApiError } from './errors';
import { listOrders, listQuery, orderListReply } from './order-list';
import { orderIdFor, orderInput, placeOrderBody, requestHash } from './order-placement';
import { readOrderView } from './order-view';
import { errorReplies, idempotencyHeaders, linksSchema, orderIdParams, orderReadSchema } from './schemas';
import type { ApiInstance } from './type-provider';

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

/** POST /orders, GET /orders and GET /orders/:id. */
export async function ordersRoutes(app: ApiInstance, context: ApiContext): Promise<void> {
  const { client, call, links } = context;

  app.post(
    '/orders',
    {
      schema: {
        summary: 'Place an order',
        description:
          'Starts the OrderWorkflow. With an Idempotency-Key, a retry returns the same order and starts nothing; the same key with a different body is a 409.',
        tags: ['orders'],
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
          client.workflow.start(OrderWorkflow, {
            workflowId,
            taskQueue: TaskQueues.orders,
            args: [order],
            // FAIL, not USE_EXISTING: Temporal's refusal is exactly when a retry must be compared
            // with the original. REJECT_DUPLICATE: a finished order is not placed again either.
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            memo: { requestHash: hash },
            ...orderMetadata(order),
            // Set at start so the order is listed by customer before the orders worker has run it.
            typedSearchAttributes: orderStartAttributes(order),
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

  app.get(
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

  app.get(
    '/orders/:id',
    {
      schema: {
        summary: "An order's status and step timeline",
        description:
          'From the status query while the order runs, from its result once it has ended. When no orders worker answers the query in time, from the workflow\'s description: `source` is "description" and `fallback` says why.',
        tags: ['orders'],
        params: orderIdParams,
        response: { 200: orderReadSchema, ...errorReplies(400, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      logOrder(request, reply, request.params.id);
      const view = await readOrderView(context, request.params.id);
      return { ...view, links: links(request.params.id) };
    },
  );
}
