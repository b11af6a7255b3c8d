import type { FastifyInstance } from 'fastify';
import { orderWorkflowId } from '../../workflows/ids';
import { logOrder, type ApiContext } from './context';
import { summariseHistory } from './history-summary';
import { errorReplies, orderIdParams } from './schemas';

const historyReply = {
  type: 'object',
  required: ['orderId', 'workflowId', 'events'],
  properties: {
    orderId: { type: 'string' },
    workflowId: { type: 'string' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['eventId', 'type'],
        properties: {
          eventId: { type: 'integer' },
          time: { type: 'string', format: 'date-time' },
          type: { type: 'string', examples: ['ActivityTaskFailed'] },
          name: { type: 'string', description: 'The activity, child workflow, signal, update or timer the event is about.', examples: ['authorizePayment'] },
          taskQueue: { type: 'string', examples: ['payment'] },
          attempt: { type: 'integer' },
          failure: { type: 'string', description: 'Why it failed; on a started event, why the previous attempt failed.' },
        },
      },
    },
  },
} as const;

/** GET /orders/:id/history: the order workflow's event history, summarised for people. */
export async function orderHistoryRoutes(app: FastifyInstance, { client, call }: ApiContext): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/orders/:id/history',
    {
      schema: {
        summary: "An order's workflow history, summarised",
        description:
          "Every event of the OrderWorkflow except workflow-task bookkeeping: time, type, the activity or child it concerns, its task queue, the attempt, and the failure message. The full history is in the Web UI (links.webUi).",
        tags: ['orders'],
        params: orderIdParams,
        response: { 200: historyReply, ...errorReplies(400, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      const { id: orderId } = request.params;
      const workflowId = orderWorkflowId(orderId);
      logOrder(request, reply, orderId, workflowId);
      const history = await call(() => client.workflow.getHandle(workflowId).fetchHistory());
      return { orderId, workflowId, events: summariseHistory(history.events ?? []) };
    },
  );
}
