import type { FastifyInstance } from 'fastify';
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { customAlphabet } from 'nanoid';
import { orderStatusQuery } from '../../workflows/messages';
import { orderWorkflowId } from '../../workflows/ids';
import { TaskQueues } from '../../workflows/task-queues';
import type { OrderInput, OrderLine } from '../../workflows/types';
import { findProduct } from '../inventory/catalog';
import { ApiError } from './errors';
import { orderIdParams, orderViewReply, placedOrderReply, placeOrderBody } from './schemas';

// Order ids are short, URL-safe and unguessable.
const newOrderId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

export interface OrdersRoutesOptions {
  client: Client;
  /** Base URL of the Temporal Web UI, for links. */
  uiUrl: string;
}

type PlaceOrderRequest = Omit<OrderInput, 'orderId' | 'lines' | 'totalCents'> & { items: { sku: string; quantity: number }[] };

/** Prices each item from the catalog; an unknown SKU is the caller's mistake (400). */
function priceLines(items: PlaceOrderRequest['items']): OrderLine[] {
  return items.map(({ sku, quantity }, index) => {
    const product = findProduct(sku);
    if (!product) throw new ApiError(400, `unknown SKU "${sku}"`, `body/items/${index}/sku`);
    return { sku, quantity, unitPriceCents: product.priceCents };
  });
}

export async function ordersRoutes(app: FastifyInstance, { client, uiUrl }: OrdersRoutesOptions): Promise<void> {
  const namespace = client.options.namespace;
  const links = (orderId: string) => ({
    self: `/orders/${orderId}`,
    webUi: `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(orderWorkflowId(orderId))}`,
  });

  app.post<{ Body: PlaceOrderRequest }>(
    '/orders',
    { schema: { body: placeOrderBody, response: { 201: placedOrderReply, '4xx': { $ref: 'Error#' } } } },
    async (request, reply) => {
      const { items, ...customer } = request.body;
      const lines = priceLines(items);
      const order: OrderInput = {
        ...customer,
        orderId: newOrderId(),
        lines,
        totalCents: lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0),
      };
      const workflowId = orderWorkflowId(order.orderId);
      await client.workflow.start('OrderWorkflow', {
        workflowId,
        taskQueue: TaskQueues.orders,
        args: [order],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      });
      request.log.info({ orderId: order.orderId, workflowId }, 'order placed');
      return reply
        .code(201)
        .header('location', `/orders/${order.orderId}`)
        .send({ orderId: order.orderId, workflowId, status: 'received', totalCents: order.totalCents, links: links(order.orderId) });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/orders/:id',
    { schema: { params: orderIdParams, response: { 200: orderViewReply, '4xx': { $ref: 'Error#' } } } },
    async (request) => {
      const view = await client.workflow.getHandle(orderWorkflowId(request.params.id)).query(orderStatusQuery);
      return { ...view, links: links(request.params.id) };
    },
  );
}
