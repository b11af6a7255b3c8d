import { temporal } from '@temporalio/proto';
import { orderMap, type MapHistory } from '../../services/api/order-map';

// The translation from history events to diagram lines, on hand-built histories: no server.

const { HistoryEvent } = temporal.api.history.v1;
const { EventType, TimeoutType } = temporal.api.enums.v1;

/** An event as written here: plain numbers for ids, which fromObject turns into the int64s a real history has. */
type EventSpec = Record<string, unknown>;

/** A history built event by event, with ids in order, as Temporal numbers them. */
function history(workflowId: string, build: (add: (event: EventSpec) => number) => void): MapHistory {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  build((event) => {
    events.push(HistoryEvent.fromObject({ ...event, eventId: events.length + 1 }));
    return events.length;
  });
  return { workflowId, events };
}

const started = (taskQueue: string, workflowType: string): EventSpec => ({
  eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  workflowExecutionStartedEventAttributes: { taskQueue: { name: taskQueue }, workflowType: { name: workflowType } },
});
const taskCompleted = (identity: string): EventSpec => ({
  eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  workflowTaskCompletedEventAttributes: { identity },
});
const scheduled = (activity: string, taskQueue: string): EventSpec => ({
  eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  activityTaskScheduledEventAttributes: { activityType: { name: activity }, taskQueue: { name: taskQueue } },
});
const activityStarted = (scheduledEventId: number, identity: string, attempt = 1, lastFailure?: temporal.api.failure.v1.IFailure) => ({
  eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
  activityTaskStartedEventAttributes: { scheduledEventId, identity, attempt, lastFailure },
});
const activityCompleted = (scheduledEventId: number) => ({
  eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  activityTaskCompletedEventAttributes: { scheduledEventId },
});
const completed = { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED };

const bodyOf = (map: string) => map.split('\n').map((line) => line.trim());

test('a plain order: the client starts it, each worker identity is a participant, and every activity goes to the worker that ran it', () => {
  const order = history('order-1', (add) => {
    add(started('orders', 'OrderWorkflow'));
    add(taskCompleted('11@host'));
    const reserve = add(scheduled('reserveStock', 'inventory'));
    add(activityStarted(reserve, '22@host'));
    add(activityCompleted(reserve));
    add(taskCompleted('11@host'));
    add(completed);
  });
  expect(bodyOf(orderMap(order))).toEqual([
    'sequenceDiagram',
    'participant API as Client (API)',
    'participant Temporal',
    'participant W1 as orders worker 11@host',
    'participant W2 as inventory worker 22@host',
    'API->>Temporal: start OrderWorkflow order-1',
    'Temporal->>W1: workflow task of order-1',
    'W1->>Temporal: schedule reserveStock on inventory',
    'Temporal->>W2: reserveStock',
    'W2-->>Temporal: reserveStock done',
    'W1->>Temporal: OrderWorkflow completed',
    'Temporal-->>API: result of order-1',
  ]);
});

test('a retried activity shows its attempt and the last failure, and a heartbeat timeout says the worker stopped answering', () => {
  const order = history('order-2', (add) => {
    add(started('orders', 'OrderWorkflow'));
    add(taskCompleted('11@host'));
    const charge = add(scheduled('authorizePayment', 'payment'));
    add(activityStarted(charge, '33@host', 4, { message: 'Activity task failed', cause: { message: 'card gateway unavailable' } }));
    add(activityCompleted(charge));
    const track = add(scheduled('trackShipment', 'shipping'));
    add(
      activityStarted(track, '44@host', 2, {
        message: 'activity Heartbeat timeout',
        timeoutFailureInfo: { timeoutType: TimeoutType.TIMEOUT_TYPE_HEARTBEAT },
      }),
    );
  });
  const lines = bodyOf(orderMap(order));
  expect(lines).toContain('Note over Temporal: retry of authorizePayment: attempt 3 failed (card gateway unavailable)');
  expect(lines).toContain('Temporal->>W2: authorizePayment, attempt 4');
  expect(lines).toContain('Note over Temporal: retry of trackShipment: attempt 1 failed (heartbeat timeout: its worker stopped answering)');
  expect(lines).toContain('Temporal->>W3: trackShipment, attempt 2');
});

test('a failed activity draws a cross with its message; failure text cannot break the diagram', () => {
  const order = history('order-3', (add) => {
    add(started('orders', 'OrderWorkflow'));
    add(taskCompleted('11@host'));
    const charge = add(scheduled('authorizePayment', 'payment'));
    add(activityStarted(charge, '33@host'));
    add({
      eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
      activityTaskFailedEventAttributes: { scheduledEventId: charge, failure: { message: 'the card was declined; #42\nsee gateway' } },
    });
  });
  expect(bodyOf(orderMap(order))).toContain('W2--xTemporal: authorizePayment failed: the card was declined 42 see gateway');
});

test('a workflow task lost with its worker, then completed by another: the timeout and the replay on the new worker', () => {
  const order = history('order-4', (add) => {
    add(started('orders', 'OrderWorkflow'));
    add(taskCompleted('11@host'));
    add({ eventType: EventType.EVENT_TYPE_TIMER_FIRED, timerFiredEventAttributes: {} });
    add({
      eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
      workflowTaskTimedOutEventAttributes: { timeoutType: TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE },
    });
    add(taskCompleted('55@host'));
    add(completed);
  });
  const lines = bodyOf(orderMap(order));
  expect(lines).toEqual(expect.arrayContaining(['participant W1 as orders worker 11@host', 'participant W2 as orders worker 55@host']));
  const fromTimeout = lines.indexOf('Note over Temporal: workflow task timed out (start-to-close): its worker is gone');
  expect(fromTimeout).toBeGreaterThan(0);
  expect(lines.slice(fromTimeout + 1, fromTimeout + 4)).toEqual([
    'Temporal->>W2: workflow task of order-4',
    'Note over W2: replays the history, then carries on',
    'W2->>Temporal: OrderWorkflow completed',
  ]);
});

test('the shipment child is drawn from its own history where the order started it, its workers among the participants', () => {
  const order = history('order-5', (add) => {
    add(started('orders', 'OrderWorkflow'));
    add(taskCompleted('11@host'));
    const initiated = add({
      eventType: EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
      startChildWorkflowExecutionInitiatedEventAttributes: { workflowId: 'shipment-5', workflowType: { name: 'ShipmentWorkflow' } },
    });
    add({
      eventType: EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED,
      childWorkflowExecutionStartedEventAttributes: {
        initiatedEventId: initiated,
        workflowExecution: { workflowId: 'shipment-5', runId: 'r' },
      },
    });
    add({ eventType: EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED, childWorkflowExecutionCompletedEventAttributes: {} });
  });
  const shipment = history('shipment-5', (add) => {
    add(started('shipping', 'ShipmentWorkflow'));
    add(taskCompleted('66@host'));
    add({
      eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
      workflowExecutionSignaledEventAttributes: { signalName: 'carrierEvent' },
    });
    add(completed);
  });
  const lines = bodyOf(orderMap(order, [shipment]));
  expect(lines).toContain('participant W2 as shipping worker 66@host');
  const start = lines.indexOf('W1->>Temporal: start child ShipmentWorkflow shipment-5');
  expect(lines.slice(start + 1)).toEqual([
    'rect rgba(90, 120, 200, 0.12)',
    'Note over Temporal: child shipment-5, from its own history',
    'Temporal->>W2: workflow task of shipment-5',
    'API->>Temporal: signal carrierEvent',
    'W2->>Temporal: ShipmentWorkflow completed',
    'end',
    'Note over Temporal: child completed',
  ]);
});
