import { ApplicationFailure, TimeoutFailure, metricMeter, workflowInfo } from '@temporalio/workflow';
import { OrderMetricNames } from './order-metric-names';
import type { Decision } from './order-requests';

// The orders' business metrics, through the SDK's workflow meter: it emits no command and drops
// what a replay emits, so each order counts once, whichever worker replays it. Tags namespace,
// task_queue and workflow_type come from the SDK. Instruments are made per call: the meter
// exists only inside a workflow's context.

const secondsSinceStart = (): number => (Date.now() - workflowInfo().startTime.getTime()) / 1000;

function recordDuration(outcome: string): void {
  metricMeter
    .createHistogram(OrderMetricNames.duration, 'float', 's', 'Time from placement to the end of the order')
    .record(secondsSinceStart(), { outcome });
}

/** An order was placed: its workflow began. */
export function countOrderPlaced(): void {
  metricMeter.createCounter(OrderMetricNames.placed, 'orders', 'Orders placed').add(1);
}

/** An order was delivered and confirmed. */
export function countOrderCompleted(): void {
  metricMeter.createCounter(OrderMetricNames.completed, 'orders', 'Orders completed').add(1);
  recordDuration('completed');
}

/** An order did not complete and was undone; `reason` is the business failure's type, or how it stopped. */
export function countOrderCompensated(err: unknown, status: string): void {
  metricMeter
    .createCounter(OrderMetricNames.compensated, 'orders', 'Orders compensated, by reason')
    .add(1, { reason: reasonOf(err, status) });
  recordDuration(status);
}

/** Waits for a person's decision and records how long it took, by its outcome. */
export async function timeApprovalWait(decision: Promise<Decision | undefined>): Promise<Decision | undefined> {
  const start = Date.now();
  const outcome = await decision.catch((err: unknown) => {
    recordApprovalWait(start, 'cancelled');
    throw err;
  });
  recordApprovalWait(start, outcome === undefined ? 'timed-out' : outcome.approved ? 'approved' : 'rejected');
  return outcome;
}

function recordApprovalWait(start: number, outcome: string): void {
  metricMeter
    .createHistogram(OrderMetricNames.approvalWait, 'float', 's', 'Time a large order waited for a decision')
    .record((Date.now() - start) / 1000, { outcome });
}

/** A label of few values: the business failure's type (CardDeclined, OutOfStock...), Timeout, or the status (cancelled, rejected). */
function reasonOf(err: unknown, status: string): string {
  for (let current = err; current instanceof Error; current = current.cause) {
    if (current instanceof ApplicationFailure && current.type) return current.type;
    if (current instanceof TimeoutFailure) return 'Timeout';
  }
  return status;
}
