import type { Fallback, OrderReply, TimelineEntry } from './contract';
import { el } from './dom';
import { clock } from './format';

const attemptsNote = ({ attempts, state }: TimelineEntry): string | undefined =>
  attempts !== undefined && (attempts > 1 || state === 'running') ? `attempt ${attempts}` : undefined;

/** One step of the timeline: what it is, how it went, its attempts and last error. */
export function timelineItem(entry: TimelineEntry): HTMLLIElement {
  const attempts = attemptsNote(entry);
  const times = entry.endedAt ? `${clock(entry.startedAt)} – ${clock(entry.endedAt)}` : `since ${clock(entry.startedAt)}`;
  return el(
    'li',
    { class: `step step-${entry.state}`, 'data-step': entry.step, 'data-state': entry.state },
    el('span', { class: 'step-name' }, entry.step),
    ' ',
    el('span', { class: 'step-state' }, entry.state),
    attempts && el('span', { class: 'step-attempts' }, ` · ${attempts}`),
    el('span', { class: 'step-times' }, ` · ${times}`),
    entry.error && el('p', { class: 'step-error' }, `Last error: ${entry.error}`),
  );
}

const fact = (term: string, value: string | undefined): Node[] => (value ? [el('dt', {}, term), el('dd', {}, value)] : []);

export function fallbackFacts(fallback: Fallback): Node[] {
  return [
    ...fact('Workflow status', fallback.workflowStatus),
    ...fact('Started', clock(fallback.startedAt)),
    ...fact('Closed', fallback.closedAt && clock(fallback.closedAt)),
  ];
}

export function pendingActivityItems(fallback: Fallback): HTMLLIElement[] {
  return fallback.pendingActivities.map((activity) =>
    el(
      'li',
      { 'data-activity': activity.activity },
      `${activity.activity} (${activity.workflowId}): ${activity.state}, attempt ${activity.attempts}`,
      activity.lastFailure && el('p', { class: 'step-error' }, `Last failure: ${activity.lastFailure}`),
    ),
  );
}

export function shipmentFacts(shipment: NonNullable<OrderReply['shipment']>): Node[] {
  return [
    ...fact('Carrier', shipment.carrier),
    ...fact('Tracking number', shipment.trackingNumber),
    ...fact('Shipment', shipment.shipmentId),
    ...fact('Delivered', shipment.deliveredAt && clock(shipment.deliveredAt)),
  ];
}
