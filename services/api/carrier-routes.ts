import { WorkflowNotFoundError } from '@temporalio/client';
import { shipmentWorkflowId } from '../../workflows/ids';
import { carrierEventSignal } from '../../workflows/messages';
import type { CarrierEvent } from '../../workflows/types';
import { logOrder, type ApiContext } from './context';
import { ApiError } from './errors';
import { errorReplies, shipmentParams } from './schemas';
import type { ApiInstance } from './type-provider';

const carrierEventBody = {
  type: 'object',
  required: ['event'],
  additionalProperties: false,
  properties: {
    event: { type: 'string', enum: ['dispatched', 'delivered'] },
    at: { type: 'string', format: 'date-time', description: 'When it happened, as the carrier saw it; now if omitted.' },
  },
} as const;

const carrierEventReply = {
  type: 'object',
  required: ['orderId', 'shipmentWorkflowId', 'event', 'at'],
  properties: {
    orderId: { type: 'string' },
    shipmentWorkflowId: { type: 'string' },
    event: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
  },
} as const;

/** POST /shipments/:orderId/events: the carrier moves a shipment along. */
export async function carrierRoutes(app: ApiInstance, { client, call }: ApiContext): Promise<void> {
  app.post(
    '/shipments/:orderId/events',
    {
      schema: {
        summary: 'Report a carrier event for an order’s shipment',
        description:
          'Signals the ShipmentWorkflow: "delivered" ends its wait for delivery. A signal is recorded, not answered, hence 202. A repeated event is ignored by the workflow.',
        tags: ['carrier'],
        params: shipmentParams,
        body: carrierEventBody,
        response: { 202: carrierEventReply, ...errorReplies(400, 401, 404, 409, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const { orderId } = request.params;
      const workflowId = shipmentWorkflowId(orderId);
      logOrder(request, reply, orderId, workflowId);
      const event: CarrierEvent = { event: request.body.event, at: new Date(request.body.at ?? Date.now()).toISOString() };
      const handle = client.workflow.getHandle(workflowId);
      try {
        await call(() => handle.signal(carrierEventSignal, event));
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        // Temporal answers "not found" both for no shipment and for a finished one; tell them apart.
        const finished = await call(() => handle.describe()).catch((describeError: unknown) => {
          if (describeError instanceof WorkflowNotFoundError) return undefined;
          throw describeError;
        });
        if (finished) throw new ApiError(409, `the shipment has already ended (${finished.status.name.toLowerCase()})`);
        throw new ApiError(404, 'this order has no shipment (yet)');
      }
      request.log.info({ event: event.event }, 'carrier event signalled');
      return reply.code(202).send({ orderId, shipmentWorkflowId: workflowId, ...event });
    },
  );
}
