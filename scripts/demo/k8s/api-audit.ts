import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderView, StepName } from '../../../workflows/types';
import { auditReport, check, outcomeChecks, outcomeOf, type AuditCheck, type AuditReport, type Outcome, type PlacedOrder } from '../audit';

// The Kubernetes audit goes through the API: on a cluster each service keeps its store on a
// persistent volume inside the cluster, which the demo cannot read. It checks each order's own
// record of its steps (the OrderWorkflow's timeline, from GET /orders/:id), which Temporal keeps.

/** GET /orders/:id for every order placed, then the checks on outcomes and timelines. */
export async function auditThroughApi(apiUrl: string, placed: PlacedOrder[]): Promise<AuditReport> {
  const views: (OrderView | undefined)[] = [];
  for (let i = 0; i < placed.length; i += 8)
    views.push(...(await Promise.all(placed.slice(i, i + 8).map((order) => readOrder(apiUrl, order.orderId)))));
  const outcomes = placed.map((order, i) => outcomeOf(order, views[i]?.status, views[i] ? undefined : 'not found'));
  return auditReport(outcomes, [
    ...outcomeChecks(outcomes),
    ...timelineChecks(outcomes.map((outcome, i) => ({ outcome, view: views[i] }))),
  ]);
}

async function readOrder(apiUrl: string, orderId: string): Promise<OrderView | undefined> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${apiUrl}/orders/${encodeURIComponent(orderId)}`, { signal: AbortSignal.timeout(10_000) }).catch(
      () => undefined,
    );
    if (response?.ok) return (await response.json()) as OrderView;
    if (response?.status === 404) return undefined;
    if (attempt === 5) throw new Error(`GET /orders/${orderId} kept failing (${response?.status ?? 'no answer'})`);
    // 429 (the API's rate limit) says when to come back; anything else gets a short backoff.
    await sleep(Number(response?.headers.get('retry-after') ?? 0) * 1000 || 500 * attempt);
  }
}

/** The checks on each order's timeline: charged once, refunded when compensated, one email, one delivery. */
export function timelineChecks(orders: { outcome: Outcome; view?: OrderView }[]): AuditCheck[] {
  const done = (view: OrderView | undefined, step: StepName) =>
    view?.timeline.filter((entry) => entry.step === step && entry.state === 'completed').length ?? 0;
  const completed = orders.filter(({ outcome }) => outcome.ended === 'completed');
  const compensated = orders.filter(({ outcome }) => outcome.ended === 'compensated');
  const id = ({ outcome }: { outcome: Outcome }) => outcome.order.orderId;
  return [
    check(
      'charged at most once per order (order timelines)',
      orders.filter(({ view }) => done(view, 'chargePayment') > 1).map(id),
      `${orders.reduce((sum, { view }) => sum + done(view, 'chargePayment'), 0)} charges`,
    ),
    check(
      'every completed order was charged once and never refunded (order timelines)',
      completed.filter(({ view }) => done(view, 'chargePayment') !== 1 || done(view, 'refundPayment') !== 0).map(id),
      `${completed.length} completed orders`,
    ),
    check(
      'refunds match compensations: every compensated order that was charged was refunded (order timelines)',
      compensated.filter(({ view }) => done(view, 'chargePayment') > 0 && done(view, 'refundPayment') !== 1).map(id),
      `${compensated.filter(({ view }) => done(view, 'chargePayment') > 0).length} charged and refunded`,
    ),
    check(
      'one email per order: a confirmation when completed, a cancellation notice when compensated (order timelines)',
      [
        ...completed.filter(({ view }) => done(view, 'sendConfirmation') !== 1 || done(view, 'notifyCustomer') !== 0),
        ...compensated.filter(({ view }) => done(view, 'notifyCustomer') !== 1 || done(view, 'sendConfirmation') !== 0),
      ].map(id),
      `${completed.length} confirmations, ${compensated.length} cancellation notices`,
    ),
    check(
      'every completed order was delivered (order timelines)',
      completed.filter(({ view }) => !view?.shipment?.deliveredAt).map(id),
      `${completed.length} deliveries`,
    ),
  ];
}
