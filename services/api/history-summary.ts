import { temporal } from '@temporalio/proto';
import type { FromSchema } from 'json-schema-to-ts';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Failure = temporal.api.failure.v1.IFailure;

/** One line of an order's history, as a person reads it: the schema of each item of GET /orders/:id/history. */
export const historyLineSchema = {
  type: 'object',
  required: ['eventId', 'type'],
  properties: {
    eventId: { type: 'integer' },
    time: { type: 'string', format: 'date-time' },
    // The event type without its prefix.
    type: { type: 'string', examples: ['ActivityTaskFailed'] },
    name: {
      type: 'string',
      description: 'The activity, child workflow, signal, update or timer the event is about.',
      examples: ['authorizePayment'],
    },
    taskQueue: { type: 'string', examples: ['payment'] },
    attempt: { type: 'integer' },
    // The innermost failure message: "the card was declined", not "Activity task failed".
    failure: { type: 'string', description: 'Why it failed; on a started event, why the previous attempt failed.' },
  },
} as const;

export type HistoryLine = FromSchema<typeof historyLineSchema>;

const { EventType } = temporal.api.enums.v1;

// Workflow task events are the SDK's bookkeeping, not the order's story; a failed or timed-out
// workflow task (a bug, a stuck worker) is kept, because then it is the story.
const BOOKKEEPING: ReadonlySet<number> = new Set([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
]);

/** "EVENT_TYPE_ACTIVITY_TASK_FAILED" as "ActivityTaskFailed". */
const typeName = (type: number): string =>
  (EventType[type] ?? 'EVENT_TYPE_UNSPECIFIED')
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());

const attributeField = (type: string): string => `${type[0].toLowerCase()}${type.slice(1)}EventAttributes`;

function rootMessage(failure: Failure | null | undefined): string | undefined {
  let current = failure;
  while (current?.cause) current = current.cause;
  return current?.message ?? undefined;
}

const toNumber = (value: number | { toNumber(): number } | null | undefined): number | undefined =>
  value == null ? undefined : typeof value === 'number' ? value : value.toNumber();

const toIso = (ts: HistoryEvent['eventTime']): string | undefined =>
  ts?.seconds == null ? undefined : new Date(Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();

interface Attributes {
  activityType?: { name?: string | null } | null;
  workflowType?: { name?: string | null } | null;
  signalName?: string | null;
  timerId?: string | null;
  markerName?: string | null;
  acceptedRequest?: { input?: { name?: string | null } | null } | null;
  taskQueue?: { name?: string | null } | null;
  attempt?: number | null;
  failure?: Failure | null;
  lastFailure?: Failure | null;
  scheduledEventId?: number | { toNumber(): number } | null;
  initiatedEventId?: number | { toNumber(): number } | null;
  startedEventId?: number | { toNumber(): number } | null;
  acceptedEventId?: number | { toNumber(): number } | null;
}

/**
 * An event history as a person reads it: when, what, about which activity or child, on which
 * task queue, at which attempt, and why it failed. Events that point back to an earlier one
 * (an activity's completion to its scheduling) inherit that one's name and task queue.
 */
export function summariseHistory(events: readonly HistoryEvent[]): HistoryLine[] {
  const byId = new Map<number, HistoryLine>();
  const lines: HistoryLine[] = [];
  for (const event of events) {
    const eventId = toNumber(event.eventId) ?? 0;
    const type = typeName(event.eventType ?? 0);
    const attributes = ((event as Record<string, unknown>)[attributeField(type)] ?? {}) as Attributes;
    const origin = [attributes.scheduledEventId, attributes.initiatedEventId, attributes.acceptedEventId]
      .map((id) => byId.get(toNumber(id) ?? -1))
      .find(Boolean);
    const started = byId.get(toNumber(attributes.startedEventId) ?? -1);
    const name =
      attributes.activityType?.name ??
      attributes.workflowType?.name ??
      attributes.signalName ??
      attributes.acceptedRequest?.input?.name ??
      attributes.timerId ??
      attributes.markerName ??
      origin?.name;
    const line: HistoryLine = {
      eventId,
      time: toIso(event.eventTime),
      type,
      name: name ?? undefined,
      taskQueue: attributes.taskQueue?.name ?? origin?.taskQueue,
      attempt: attributes.attempt ?? started?.attempt,
      // On a started event, lastFailure is why the previous attempt failed.
      failure: rootMessage(attributes.failure ?? attributes.lastFailure),
    };
    byId.set(eventId, line);
    if (!BOOKKEEPING.has(event.eventType ?? 0)) lines.push(line);
  }
  return lines;
}
