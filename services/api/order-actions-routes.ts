import type { FastifyInstance } from 'fastify';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { orderWorkflowId } from '../../workflows/ids';
import { approveOrderUpdate, cancelOrderUpdate, rejectOrderUpdate } from '../../workflows/messages';
import { OrderStatusKey } from '../../workflows/search-attributes';
import type { OrderView } from '../../workflows/types';
import { logOrder, type ApiContext } from './context';
import { ApiError } from './errors';
import { errorReplies, idempotencyHeaders, linksSchema, orderIdParams, orderViewSchema } from './schemas';
import { isTemporalUnavailable } from './temporal-calls';

// Cancel, approve and reject are workflow updates: the workflow's validator accepts or refuses
// each one against the order's current state, and the caller hears which, with the reason.

const person = { type: 'string', minLength: 1, maxLength: 100 } as const;
const reason = { type: 'string', minLength: 1, maxLength: 500 } as const;

const ACTIONS = [
  {
    path: 'cancel',
    update: cancelOrderUpdate,
    summary: 'Cancel an order',
    description: 'Accepted until the order has shipped. Answers once the cancellation is carried out (stock released, payment refunded).',
    body: { type: 'object', additionalProperties: false, properties: { reason: { ...reason, default: 'cancelled by the customer' } } },
    args: (body: Record<string, string>) => ({ reason: body.reason }),
  },
  {
    path: 'approve',
    update: approveOrderUpdate,
    summary: 'Approve an order that is waiting for approval',
    description: 'Orders whose total is above the approval threshold wait for a person. Refused (409) for any other order.',
    body: { type: 'object', required: ['approvedBy'], additionalProperties: false, properties: { approvedBy: person } },
    args: (body: Record<string, string>) => ({ approvedBy: body.approvedBy }),
  },
  {
    path: 'reject',
    update: rejectOrderUpdate,
    summary: 'Reject an order that is waiting for approval',
    description: 'The order ends as rejected and the customer is told. Refused (409) for an order that is not waiting for approval.',
    body: { type: 'object', required: ['rejectedBy', 'reason'], additionalProperties: false, properties: { rejectedBy: person, reason } },
    args: (body: Record<string, string>) => ({ rejectedBy: body.rejectedBy, reason: body.reason }),
  },
] as const;

/** The reply to an action the workflow accepted but had not carried out within the deadline. */
const acceptedReply = {
  type: 'object',
  required: ['orderId', 'message', 'links'],
  properties: { orderId: { type: 'string' }, message: { type: 'string' }, links: linksSchema },
} as const;

/** POST /orders/:id/cancel, /approve and /reject. */
export async function orderActionsRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { client, call, links } = context;

  for (const action of ACTIONS) {
    app.post<{ Params: { id: string }; Body: Record<string, string>; Headers: { 'idempotency-key'?: string } }>(
      `/orders/:id/${action.path}`,
      {
        schema: {
          summary: action.summary,
          description: `${action.description} With an Idempotency-Key, a retry is applied once.`,
          tags: ['order actions'],
          security: [{ apiKey: [] }],
          params: orderIdParams,
          headers: idempotencyHeaders,
          body: action.body,
          response: { 200: orderViewSchema, 202: acceptedReply, ...errorReplies(400, 401, 404, 409, 413, 415, 429, 503) },
        },
        // A POST with no body at all (`curl -X POST .../cancel`) is an empty object: a cancel without a reason.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request, reply) => {
        const orderId = request.params.id;
        logOrder(request, reply, orderId);
        const handle = client.workflow.getHandle(orderWorkflowId(orderId));
        const update = action.update as UpdateDefinition<OrderView, [Record<string, string>]>;
        let view: OrderView;
        try {
          // One deadline for both waits: first for the workflow to accept, then for its answer.
          const deadline = Date.now() + context.timeoutMs;
          const accepted = await call(() =>
            handle.startUpdate(update, {
              args: [action.args(request.body)],
              waitForStage: WorkflowUpdateStage.ACCEPTED,
              ...(request.headers['idempotency-key'] && { updateId: `${action.path}-${request.headers['idempotency-key']}` }),
            }),
          );
          try {
            view = await call(() => accepted.result(), Math.max(1, deadline - Date.now()));
          } catch (err) {
            if (err instanceof WorkflowUpdateFailedError || !isTemporalUnavailable(err)) throw err;
            request.log.info(`${action.path} accepted, still being carried out`);
            return reply
              .code(202)
              .header('location', `/orders/${orderId}`)
              .send({ orderId, message: `${action.path} accepted; it is still being carried out: GET the order to follow it`, links: links(orderId) });
          }
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError) {
            request.log.info({ reason: err.cause?.message }, `${action.path} refused`);
            throw new ApiError(409, err.cause?.message ?? `the order refused to ${action.path}`);
          }
          if (err instanceof WorkflowNotFoundError) throw await closedOrMissing(context, orderId, action.path);
          throw err;
        }
        request.log.info({ status: view.status }, `${action.path} done`);
        return { ...view, links: links(orderId) };
      },
    );
  }
}

/** An update to a finished workflow reads as "not found" from Temporal; for the caller it is a 409 if the order exists. */
async function closedOrMissing({ client, call }: ApiContext, orderId: string, action: string): Promise<Error> {
  try {
    const description = await call(() => client.workflow.getHandle(orderWorkflowId(orderId)).describe());
    const status = description.typedSearchAttributes.get(OrderStatusKey) ?? description.status.name.toLowerCase();
    return new ApiError(409, `cannot ${action}: the order is already ${status}`);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
