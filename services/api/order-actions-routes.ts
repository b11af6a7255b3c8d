import type { FastifyReply, FastifyRequest } from 'fastify';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { FromSchema } from 'json-schema-to-ts';
import { orderWorkflowId } from '../../workflows/ids';
import { approveOrderUpdate, cancelOrderUpdate, rejectOrderUpdate } from '../../workflows/messages';
import { OrderStatusKey } from '../../workflows/search-attributes';
import type { OrderView } from '../../workflows/types';
import { logOrder, type ApiContext } from './context';
import { ApiError } from './errors';
import { errorReplies, idempotencyHeaders, linksSchema, orderIdParams, orderViewSchema } from './schemas';
import { isTemporalUnavailable } from './temporal-calls';
import type { ApiInstance } from './type-provider';

// Cancel, approve and reject are workflow updates: the workflow's validator accepts or refuses
// each one against the order's current state, and the caller hears which, with the reason.

const person = { type: 'string', minLength: 1, maxLength: 100 } as const;
const reason = { type: 'string', minLength: 1, maxLength: 500 } as const;

const cancelBody = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: { ...reason, default: 'cancelled by the customer' } },
} as const;
const approveBody = { type: 'object', required: ['approvedBy'], additionalProperties: false, properties: { approvedBy: person } } as const;
const rejectBody = {
  type: 'object',
  required: ['rejectedBy', 'reason'],
  additionalProperties: false,
  properties: { rejectedBy: person, reason },
} as const;

/** The reply to an action the workflow accepted but had not carried out within the deadline. */
const acceptedReply = {
  type: 'object',
  required: ['orderId', 'message', 'links'],
  properties: { orderId: { type: 'string' }, message: { type: 'string' }, links: linksSchema },
} as const;

/** An action's route schema: its own body, and the order id, key and replies every action shares. */
const actionSchema = <Body>(summary: string, description: string, body: Body) => ({
  summary,
  description: `${description} With an Idempotency-Key, a retry is applied once.`,
  tags: ['order actions'],
  params: orderIdParams,
  headers: idempotencyHeaders,
  body,
  response: { 200: orderViewSchema, 202: acceptedReply, ...errorReplies(400, 401, 404, 409, 413, 415, 429, 503) },
});

/** POST /orders/:id/cancel, /approve and /reject. */
export async function orderActionsRoutes(app: ApiInstance, context: ApiContext): Promise<void> {
  // A POST with no body at all (`curl -X POST .../cancel`) is an empty object: a cancel without a reason.
  app.addHook('preValidation', async (request) => {
    request.body ??= {};
  });

  app.post(
    '/orders/:id/cancel',
    {
      schema: actionSchema(
        'Cancel an order',
        'Accepted until the order has shipped. Answers once the cancellation is carried out (stock released, payment refunded).',
        cancelBody,
      ),
    },
    async (request, reply) => await carryOut(context, request, reply, 'cancel', cancelOrderUpdate, { reason: request.body.reason }),
  );

  app.post(
    '/orders/:id/approve',
    {
      schema: actionSchema(
        'Approve an order that is waiting for approval',
        'Orders whose total is above the approval threshold wait for a person. Refused (409) for any other order.',
        approveBody,
      ),
    },
    async (request, reply) =>
      await carryOut(context, request, reply, 'approve', approveOrderUpdate, { approvedBy: request.body.approvedBy }),
  );

  app.post(
    '/orders/:id/reject',
    {
      schema: actionSchema(
        'Reject an order that is waiting for approval',
        'The order ends as rejected and the customer is told. Refused (409) for an order that is not waiting for approval.',
        rejectBody,
      ),
    },
    async (request, reply) =>
      await carryOut(context, request, reply, 'reject', rejectOrderUpdate, {
        rejectedBy: request.body.rejectedBy,
        reason: request.body.reason,
      }),
  );
}

/** An action's request, as its route's schemas type it: the order id, and the client's key for retries. */
type ActionRequest = FastifyRequest & { params: FromSchema<typeof orderIdParams>; headers: FromSchema<typeof idempotencyHeaders> };

/** Sends the action to the order's workflow as an update and answers with the order as it is once the update is done. */
async function carryOut<Args>(
  context: ApiContext,
  request: ActionRequest,
  reply: FastifyReply,
  action: string,
  update: UpdateDefinition<OrderView, [Args]>,
  args: Args,
) {
  const { client, call, links } = context;
  const orderId = request.params.id;
  logOrder(request, reply, orderId);
  const handle = client.workflow.getHandle(orderWorkflowId(orderId));
  const idempotencyKey = request.headers['idempotency-key'];
  let view: OrderView;
  try {
    // One deadline for both waits: first for the workflow to accept, then for its answer.
    const deadline = Date.now() + context.timeoutMs;
    const accepted = await call(() =>
      handle.startUpdate(update, {
        args: [args],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
        ...(idempotencyKey && { updateId: `${action}-${idempotencyKey}` }),
      }),
    );
    try {
      view = await call(() => accepted.result(), Math.max(1, deadline - Date.now()));
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || !isTemporalUnavailable(err)) throw err;
      request.log.info(`${action} accepted, still being carried out`);
      return reply
        .code(202)
        .header('location', `/orders/${orderId}`)
        .send({ orderId, message: `${action} accepted; it is still being carried out: GET the order to follow it`, links: links(orderId) });
    }
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      request.log.info({ reason: err.cause?.message }, `${action} refused`);
      throw new ApiError(409, err.cause?.message ?? `the order refused to ${action}`);
    }
    if (err instanceof WorkflowNotFoundError) throw await closedOrMissing(context, orderId, action);
    throw err;
  }
  request.log.info({ status: view.status }, `${action} done`);
  return { ...view, links: links(orderId) };
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
