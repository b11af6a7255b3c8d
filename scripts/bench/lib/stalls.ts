import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { median } from './stats';

// Why a slow order was slow, read from its history and its shipment's: the longest time between
// two consecutive events, and which events they were. After a worker is killed that names the
// timeout that had to run out (an activity's heartbeat, a workflow task's) or the queue that had
// no worker.

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const millisOf = (event: HistoryEvent): number => Number(event.eventTime!.seconds) * 1000 + (event.eventTime!.nanos ?? 0) / 1e6;

/** The activity an activity event concerns: named on its scheduled event, which the others point to. */
function activityOf(event: HistoryEvent, scheduled: Map<number, string>): string | undefined {
  const pointer =
    event.activityTaskStartedEventAttributes ??
    event.activityTaskCompletedEventAttributes ??
    event.activityTaskFailedEventAttributes ??
    event.activityTaskTimedOutEventAttributes ??
    event.activityTaskCanceledEventAttributes;
  return event.activityTaskScheduledEventAttributes?.activityType?.name ?? scheduled.get(Number(pointer?.scheduledEventId));
}

/** "ActivityTaskTimedOut (authorizePayment)": the event's type, with the activity it concerns. */
function describe(event: HistoryEvent, scheduled: Map<number, string>): string {
  const type = temporal.api.enums.v1.EventType[event.eventType!]
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)(\w)/g, (_, _sep: string, letter: string) => letter.toUpperCase());
  const activity = activityOf(event, scheduled);
  return activity ? `${type} (${activity})` : type;
}

/** The longest gap between consecutive events of one history. */
function longestGap(workflowId: string, events: HistoryEvent[]): Stall {
  const scheduled = new Map<number, string>();
  let stall: Stall = { ms: 0, workflowId, between: 'no events' };
  for (let i = 0; i < events.length; i += 1) {
    const name = events[i].activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) scheduled.set(Number(events[i].eventId), name);
    if (i === 0) continue;
    const ms = millisOf(events[i]) - millisOf(events[i - 1]);
    if (ms > stall.ms) stall = { ms, workflowId, between: `${describe(events[i - 1], scheduled)} → ${describe(events[i], scheduled)}` };
  }
  return stall;
}

export interface Stall {
  ms: number;
  workflowId: string;
  /** The two events the wait was between. */
  between: string;
}

/** How long the order's workflow ran, from its first event to its last, and the longest wait in its history or in a child's it started. */
export async function longestStall(client: Client, workflowId: string): Promise<{ ranMs: number; stall: Stall }> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const ranMs = events.length ? millisOf(events.at(-1)!) - millisOf(events[0]) : 0;
  const stalls = [longestGap(workflowId, events)];
  for (const event of events) {
    const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
    if (!child?.workflowId) continue;
    const childHistory = await client.workflow.getHandle(child.workflowId, child.runId ?? undefined).fetchHistory();
    stalls.push(longestGap(child.workflowId, childHistory.events ?? []));
  }
  return { ranMs, stall: stalls.reduce((longest, stall) => (stall.ms > longest.ms ? stall : longest)) };
}

/** How many workflow tasks timed out in the orders' histories (a worker died holding one, or took longer than the timeout), and in how many orders. */
export async function workflowTaskTimeouts(client: Client, workflowIds: string[]): Promise<{ tasks: number; orders: number }> {
  let tasks = 0;
  let orders = 0;
  for (const workflowId of workflowIds) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const timedOut = events.filter(
      (event) => event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
    ).length;
    tasks += timedOut;
    if (timedOut > 0) orders += 1;
  }
  return { tasks, orders };
}

export interface StallCause {
  /** The two events the wait was between, as in Stall. */
  between: string;
  orders: number;
  medianMs: number;
}

/** Orders grouped by their longest wait: how many waited between which two events, and the median of those waits, most orders first. */
export async function stallCauses(client: Client, workflowIds: string[]): Promise<StallCause[]> {
  const waits = new Map<string, number[]>();
  for (const workflowId of workflowIds) {
    const { stall } = await longestStall(client, workflowId);
    waits.set(stall.between, [...(waits.get(stall.between) ?? []), stall.ms]);
  }
  return [...waits].map(([between, ms]) => ({ between, orders: ms.length, medianMs: median(ms) })).sort((a, b) => b.orders - a.orders);
}
