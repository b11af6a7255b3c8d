import type { temporal } from '@temporalio/proto';
import { orderWorkflowId } from '../../workflows/ids';
import { logOrder, readableHistory, type ApiContext } from './context';
import { orderMap, type MapHistory } from './order-map';
import { errorReplies, orderIdParams } from './schemas';
import type { ApiInstance } from './type-provider';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const mapReply = {
  type: 'object',
  required: ['orderId', 'workflowId', 'mermaid'],
  properties: {
    orderId: { type: 'string' },
    workflowId: { type: 'string' },
    mermaid: {
      type: 'string',
      description:
        'A Mermaid sequenceDiagram: the client, Temporal, and each worker (by its identity) that ran a workflow task or an activity of the order or of its shipment; retries with the attempt and why the one before failed; a worker that vanished, and the replay on the next one.',
      examples: [
        'sequenceDiagram\n  participant API as Client (API)\n  participant Temporal\n  API->>Temporal: start OrderWorkflow order-abc',
      ],
    },
  },
} as const;

/** The children the order started, by workflow id, with the run id once a child has started. */
function startedChildren(events: readonly HistoryEvent[]): { workflowId: string; runId: string }[] {
  return events.flatMap((event) => {
    const execution = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
    return execution?.workflowId && execution.runId ? [{ workflowId: execution.workflowId, runId: execution.runId }] : [];
  });
}

/** GET /orders/:id/map: the order's history, and its shipment's, as a Mermaid sequence diagram. */
export async function orderMapRoutes(app: ApiInstance, context: ApiContext): Promise<void> {
  const history = async (workflowId: string, runId?: string): Promise<MapHistory> => ({
    workflowId,
    events: await readableHistory(context, workflowId, runId),
  });

  app.get(
    '/orders/:id/map',
    {
      schema: {
        summary: "An order's live workflow map",
        description:
          "The order's real history, with its shipment child's, drawn as a Mermaid sequence diagram (in `mermaid`): who ran each step, the retries, and a worker crash with the replay on another worker. Render it with Mermaid; the order page does.",
        tags: ['orders'],
        params: orderIdParams,
        response: { 200: mapReply, ...errorReplies(400, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      const { id: orderId } = request.params;
      const workflowId = orderWorkflowId(orderId);
      logOrder(request, reply, orderId, workflowId);
      const order = await history(workflowId);
      const children = await Promise.all(startedChildren(order.events).map(({ workflowId: id, runId }) => history(id, runId)));
      return { orderId, workflowId, mermaid: orderMap(order, children) };
    },
  );
}
