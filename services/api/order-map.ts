import { temporal } from '@temporalio/proto';

// The live workflow map: an order's real history (and its shipment child's) as a Mermaid
// sequence diagram. The client, Temporal, and one participant per worker process that ran a
// workflow task or an activity, named by its identity, so a crash shows as work moving from one
// worker to another. Pure translation: the route fetches the histories.

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Failure = temporal.api.failure.v1.IFailure;
type EventId = number | { toNumber(): number } | null | undefined;

const { EventType, TimeoutType } = temporal.api.enums.v1;

/** One workflow's history: the order's, or its child's. */
export interface MapHistory {
  workflowId: string;
  events: readonly HistoryEvent[];
}

const CLIENT = 'API';
const TEMPORAL = 'Temporal';

const toNumber = (id: EventId): number => (id == null ? 0 : typeof id === 'number' ? id : id.toNumber());

/** Mermaid ends a statement at ";" or a line break and reads "#" as the start of an entity: keep them out of the text. */
const text = (value: string): string => value.replace(/[;#\s]+/g, ' ').trim();

function rootMessage(failure: Failure | null | undefined): string {
  let current = failure;
  while (current?.cause) current = current.cause;
  return text(current?.message ?? 'no message');
}

/** "heartbeat" from TIMEOUT_TYPE_HEARTBEAT. */
const timeoutName = (type: number | null | undefined): string =>
  (TimeoutType[type ?? 0] ?? 'TIMEOUT_TYPE_UNSPECIFIED')
    .replace(/^TIMEOUT_TYPE_/, '')
    .toLowerCase()
    .replace(/_/g, '-');

/** Why the previous attempt of an activity ended: a timeout means its worker stopped answering (crashed, killed or hung). */
function previousAttempt(failure: Failure | null | undefined): string {
  let current = failure;
  while (current) {
    if (current.timeoutFailureInfo) return `${timeoutName(current.timeoutFailureInfo.timeoutType)} timeout: its worker stopped answering`;
    current = current.cause;
  }
  return rootMessage(failure);
}

/** The workers seen so far, each a participant W1, W2, … in order of appearance. */
class Workers {
  private readonly ids = new Map<string, { id: string; label: string }>();

  participant(identity: string | null | undefined, taskQueue: string): string {
    const key = identity || `unknown worker on ${taskQueue}`;
    let worker = this.ids.get(key);
    if (!worker) {
      worker = { id: `W${this.ids.size + 1}`, label: text(`${taskQueue} worker ${key}`) };
      this.ids.set(key, worker);
    }
    return worker.id;
  }

  declarations(): string[] {
    return [...this.ids.values()].map(({ id, label }) => `  participant ${id} as ${label}`);
  }
}

interface Activity {
  name: string;
  taskQueue: string;
  worker?: string;
}

/** The lines of one workflow's history; a child's lines come in where the parent saw it start. */
function workflowLines(history: MapHistory, children: ReadonlyMap<string, MapHistory>, workers: Workers, isChild: boolean): string[] {
  const lines: string[] = [];
  const activities = new Map<number, Activity>();
  const childIds = new Map<number, string>();
  let taskQueue = '';
  let workflowType = '';
  let driver = TEMPORAL;
  let lastTaskWorker: string | undefined;
  let taskLost = false;

  for (const event of history.events) {
    const eventId = toNumber(event.eventId);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const started = event.workflowExecutionStartedEventAttributes!;
        taskQueue = started.taskQueue?.name ?? '';
        workflowType = started.workflowType?.name ?? 'workflow';
        if (!isChild) lines.push(`  ${CLIENT}->>${TEMPORAL}: start ${text(workflowType)} ${text(history.workflowId)}`);
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: {
        const worker = workers.participant(event.workflowTaskCompletedEventAttributes?.identity, taskQueue);
        if (worker !== lastTaskWorker) {
          lines.push(`  ${TEMPORAL}->>${worker}: workflow task of ${text(history.workflowId)}`);
          if (lastTaskWorker) lines.push(`  Note over ${worker}: replays the history, then carries on`);
        } else if (taskLost) lines.push(`  ${TEMPORAL}->>${worker}: workflow task, again`);
        lastTaskWorker = driver = worker;
        taskLost = false;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT: {
        const type = timeoutName(event.workflowTaskTimedOutEventAttributes?.timeoutType);
        lines.push(`  Note over ${TEMPORAL}: workflow task timed out (${type}): its worker is gone`);
        taskLost = true;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED: {
        const failed = event.workflowTaskFailedEventAttributes!;
        const worker = workers.participant(failed.identity, taskQueue);
        lines.push(`  ${worker}--x${TEMPORAL}: workflow task failed: ${rootMessage(failed.failure)}`);
        taskLost = true;
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const scheduled = event.activityTaskScheduledEventAttributes!;
        const activity = { name: text(scheduled.activityType?.name ?? 'activity'), taskQueue: scheduled.taskQueue?.name ?? taskQueue };
        activities.set(eventId, activity);
        lines.push(`  ${driver}->>${TEMPORAL}: schedule ${activity.name} on ${text(activity.taskQueue)}`);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const started = event.activityTaskStartedEventAttributes!;
        const activity = activities.get(toNumber(started.scheduledEventId));
        if (!activity) break;
        activity.worker = workers.participant(started.identity, activity.taskQueue);
        const attempt = started.attempt ?? 1;
        if (attempt > 1) {
          lines.push(
            `  Note over ${TEMPORAL}: retry of ${activity.name}: attempt ${attempt - 1} failed (${previousAttempt(started.lastFailure)})`,
          );
        }
        lines.push(`  ${TEMPORAL}->>${activity.worker}: ${activity.name}${attempt > 1 ? `, attempt ${attempt}` : ''}`);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const activity = activities.get(toNumber(event.activityTaskCompletedEventAttributes?.scheduledEventId));
        if (activity?.worker) lines.push(`  ${activity.worker}-->>${TEMPORAL}: ${activity.name} done`);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
        const failed = event.activityTaskFailedEventAttributes!;
        const activity = activities.get(toNumber(failed.scheduledEventId));
        if (activity?.worker) lines.push(`  ${activity.worker}--x${TEMPORAL}: ${activity.name} failed: ${rootMessage(failed.failure)}`);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const timedOut = event.activityTaskTimedOutEventAttributes!;
        const activity = activities.get(toNumber(timedOut.scheduledEventId));
        lines.push(`  Note over ${TEMPORAL}: ${activity?.name ?? 'activity'} timed out: ${previousAttempt(timedOut.failure)}`);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED: {
        const activity = activities.get(toNumber(event.activityTaskCanceledEventAttributes?.scheduledEventId));
        lines.push(`  Note over ${TEMPORAL}: ${activity?.name ?? 'activity'} cancelled`);
        break;
      }
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: {
        const initiated = event.startChildWorkflowExecutionInitiatedEventAttributes!;
        childIds.set(eventId, initiated.workflowId ?? '');
        lines.push(
          `  ${driver}->>${TEMPORAL}: start child ${text(initiated.workflowType?.name ?? 'workflow')} ${text(initiated.workflowId ?? '')}`,
        );
        break;
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED: {
        const child = children.get(childIds.get(toNumber(event.childWorkflowExecutionStartedEventAttributes?.initiatedEventId)) ?? '');
        if (!child) break;
        lines.push('  rect rgba(90, 120, 200, 0.12)');
        lines.push(`  Note over ${TEMPORAL}: child ${text(child.workflowId)}, from its own history`);
        lines.push(...workflowLines(child, children, workers, true));
        lines.push('  end');
        break;
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
        lines.push(`  Note over ${TEMPORAL}: child completed`);
        break;
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
        lines.push(`  Note over ${TEMPORAL}: child failed: ${rootMessage(event.childWorkflowExecutionFailedEventAttributes?.failure)}`);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        lines.push(`  ${CLIENT}->>${TEMPORAL}: signal ${text(event.workflowExecutionSignaledEventAttributes?.signalName ?? '')}`);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        lines.push(
          `  ${CLIENT}->>${TEMPORAL}: update ${text(event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? '')}`,
        );
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
        lines.push(`  ${CLIENT}->>${TEMPORAL}: cancel`);
        break;
      case EventType.EVENT_TYPE_TIMER_FIRED:
        lines.push(`  Note over ${TEMPORAL}: timer fired`);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        lines.push(`  ${driver}->>${TEMPORAL}: ${text(workflowType)} completed`);
        if (!isChild) lines.push(`  ${TEMPORAL}-->>${CLIENT}: result of ${text(history.workflowId)}`);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
        lines.push(
          `  ${driver}--x${TEMPORAL}: ${text(workflowType)} failed: ${rootMessage(event.workflowExecutionFailedEventAttributes?.failure)}`,
        );
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
        lines.push(`  Note over ${TEMPORAL}: ${text(workflowType)} terminated`);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
        lines.push(`  Note over ${TEMPORAL}: ${text(workflowType)} timed out`);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
        lines.push(`  Note over ${TEMPORAL}: ${text(workflowType)} cancelled`);
        break;
    }
  }
  return lines;
}

/**
 * The Mermaid sequence diagram of an order: its history, with each child's history (keyed by
 * workflow id) drawn where the order started it.
 */
export function orderMap(order: MapHistory, children: readonly MapHistory[] = []): string {
  const workers = new Workers();
  const body = workflowLines(order, new Map(children.map((child) => [child.workflowId, child])), workers, false);
  return [
    'sequenceDiagram',
    `  participant ${CLIENT} as Client (API)`,
    `  participant ${TEMPORAL}`,
    ...workers.declarations(),
    ...body,
  ].join('\n');
}
