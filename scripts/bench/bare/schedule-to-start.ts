import type { WorkflowClient } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { EventType } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Milliseconds of each kind of wait, over many workflow histories. */
export type Waits = Map<string, number[]>;

const timeOf = (event: HistoryEvent): number => {
  const t = event.eventTime!;
  return Number(t.seconds) * 1000 + (t.nanos ?? 0) / 1e6;
};

/**
 * Adds one history's waits to `waits`: how long each task waited for a worker (schedule-to-start),
 * how long workers took, and how long the server took to start a child.
 */
export function addWaits(waits: Waits, events: HistoryEvent[], workflowType: string): void {
  const byId = new Map<number, HistoryEvent>(events.map((e) => [Number(e.eventId), e]));
  const add = (kind: string, from: HistoryEvent | undefined, to: HistoryEvent) => {
    if (!from) return;
    const key = `${workflowType} ${kind}`;
    if (!waits.has(key)) waits.set(key, []);
    waits.get(key)!.push(timeOf(to) - timeOf(from));
  };
  for (const event of events) {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED: {
        const scheduled = byId.get(Number(event.workflowTaskStartedEventAttributes!.scheduledEventId));
        const sticky =
          scheduled?.workflowTaskScheduledEventAttributes?.taskQueue?.kind === temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_STICKY;
        add(`workflow task schedule-to-start (${sticky ? 'sticky' : 'normal'} queue)`, scheduled, event);
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        add('workflow task start-to-complete', byId.get(Number(event.workflowTaskCompletedEventAttributes!.startedEventId)), event);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        add('activity schedule-to-start', byId.get(Number(event.activityTaskStartedEventAttributes!.scheduledEventId)), event);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        add('activity start-to-complete', byId.get(Number(event.activityTaskCompletedEventAttributes!.startedEventId)), event);
        break;
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
        add('child initiated-to-started', byId.get(Number(event.childWorkflowExecutionStartedEventAttributes!.initiatedEventId)), event);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        add('first event to completed', events[0], event);
        break;
      default:
    }
  }
}

/** Reads the histories of the given orders and their shipments and returns their waits. */
export async function waitsOf(client: WorkflowClient, orderIds: string[]): Promise<Waits> {
  const waits: Waits = new Map();
  for (const orderId of orderIds) {
    for (const [workflowId, type] of [
      [`bare-order-${orderId}`, 'order'],
      [`bare-shipment-${orderId}`, 'shipment'],
    ]) {
      const history = await client.getHandle(workflowId).fetchHistory();
      addWaits(waits, history.events ?? [], type);
    }
  }
  return waits;
}
