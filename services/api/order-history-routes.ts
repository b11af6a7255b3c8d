import { orderWorkflowId } from '../../workflows/ids';
import { logOrder, readableHistory, type ApiContext } from './context';
import { historyLineSchema, summariseHistory } from './history-summary';
import { errorReplies, orderIdParams } from './schemas';
import type { ApiInstance } from './type-provider';

const historyReply = {
  type: 'object',
  required: ['orderId', 'workflowId', 'events'],
  properties: {
    orderId: { type: 'string' },
    workflowId: { type: 'string' },
    events: { type: 'array', items: historyLineSchema },
  },
} as const;

/** GET /orders/:id/history: the order workflow's event history, summarised for people. */
export async function orderHistoryRoutes(app: ApiInstance, context: ApiContext): Promise<void> {
  app.get(
    '/orders/:id/history',
    {
      schema: {
        summary: "An order's workflow history, summarised",
        description:
          'Every event of the OrderWorkflow except workflow-task bookkeeping: time, type, the activity or child it concerns, its task queue, the attempt, and the failure message. The full history is in the Web UI (links.webUi).',
        tags: ['orders'],
        params: orderIdParams,
        response: { 200: historyReply, ...errorReplies(400, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      const { id: orderId } = request.params;
      const workflowId = orderWorkflowId(orderId);
      logOrder(request, reply, orderId, workflowId);
      return { orderId, workflowId, events: summariseHistory(await readableHistory(context, workflowId)) };
    },
  );
}
