import type { WorkflowExecutionDescription } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { FromSchema } from 'json-schema-to-ts';
import { OrderStatusKey, OrderTotalKey } from '../../workflows/search-attributes';
import { ORDER_STATUSES, type OrderStatus, type OrderView } from '../../workflows/types';
import type { fallbackSchema } from './schemas';

export type Fallback = FromSchema<typeof fallbackSchema>;

/** An order as Temporal describes it without a worker: no timeline, and the total only if the search attribute holds it. */
export type DescribedOrder = Omit<OrderView, 'totalCents'> & { totalCents?: number; source: 'description'; fallback: Fallback };

const { PendingActivityState } = temporal.api.enums.v1;

/** "PENDING_ACTIVITY_STATE_CANCEL_REQUESTED" as "cancel_requested". */
const stateName = (state: number | null | undefined): string =>
  (PendingActivityState[state ?? 0] ?? 'PENDING_ACTIVITY_STATE_UNSPECIFIED').replace(/^PENDING_ACTIVITY_STATE_/, '').toLowerCase();

function pendingActivities(description: WorkflowExecutionDescription): Fallback['pendingActivities'] {
  return (description.raw.pendingActivities ?? []).map((activity) => ({
    activity: activity.activityType?.name ?? 'unknown',
    workflowId: description.workflowId,
    state: stateName(activity.state),
    attempts: activity.attempt ?? 1,
    ...(activity.lastFailure?.message && { lastFailure: activity.lastFailure.message }),
  }));
}

// The workflow keeps OrderStatus up to date at every step, and a description reads it from the
// workflow's own state, not from eventually consistent Visibility.
function recordedStatus(description: WorkflowExecutionDescription): OrderStatus {
  const recorded = description.typedSearchAttributes.get(OrderStatusKey);
  return ORDER_STATUSES.find((status) => status === recorded) ?? 'received';
}

/** The final status of a workflow that ended without returning its view: cancelled, terminated, failed or timed out. */
const endedStatus = (workflowStatus: string): OrderStatus => (workflowStatus === 'CANCELLED' ? 'cancelled' : 'failed');

/**
 * The order as its workflow's description tells it (status, total, pending activities of the order
 * and of its children), for when the orders worker cannot answer. `children` are the
 * descriptions of its pending child workflows that could be read.
 */
export function describedOrder(
  orderId: string,
  description: WorkflowExecutionDescription,
  children: WorkflowExecutionDescription[],
  reason: string,
): DescribedOrder {
  const workflowStatus = description.status.name;
  const total = description.typedSearchAttributes.get(OrderTotalKey);
  const { closeTime } = description;
  return {
    orderId,
    status: closeTime ? endedStatus(workflowStatus) : recordedStatus(description),
    currentStep: null,
    ...(total !== undefined && { totalCents: Math.round(total * 100) }),
    timeline: [],
    ...(closeTime && { failure: `the order's workflow ended as ${workflowStatus.toLowerCase()}` }),
    source: 'description',
    fallback: {
      reason,
      workflowStatus,
      startedAt: description.startTime.toISOString(),
      ...(closeTime && { closedAt: closeTime.toISOString() }),
      pendingActivities: [description, ...children].flatMap(pendingActivities),
    },
  };
}
