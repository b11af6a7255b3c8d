import { FINAL_STATUSES, type OrderStatus } from '../../../workflows/types';
import { ApiError, getJson, postJson } from '../api';
import type { OrderRead, OrderReply } from '../contract';
import { byId, say } from '../dom';
import { money, statusLabel } from '../format';
import { fallbackFacts, pendingActivityItems, shipmentFacts, timelineItem } from '../order-rendering';
import { startPage } from '../page';
import { workflowMap } from '../workflow-map';

const orderId = new URLSearchParams(location.search).get('id') ?? '';
const isFinal = (status: string) => FINAL_STATUSES.includes(status as OrderStatus);
let refused = false;
const map = workflowMap(orderId);

function render(order: OrderReply & Partial<OrderRead>): void {
  byId('order-status').textContent = statusLabel(order.status);
  byId('order-status').dataset.status = order.status;
  if (order.totalCents !== undefined) byId('order-total').textContent = `· ${money(order.totalCents)}`;
  say(byId('order-failure'), order.failure);

  const webUi = byId<HTMLAnchorElement>('web-ui-link');
  webUi.href = order.links.webUi;
  webUi.hidden = false;

  // The description has no timeline: keep the last one the worker reported rather than blank it.
  if (order.source !== 'description') byId('timeline').replaceChildren(...order.timeline.map(timelineItem));

  const { fallback } = order;
  byId('fallback').hidden = !fallback;
  if (fallback) {
    byId('fallback-reason').textContent = `The orders worker did not answer: ${fallback.reason}. The timeline is the last one it reported.`;
    byId('fallback-facts').replaceChildren(...fallbackFacts(fallback));
    byId('pending-activities').replaceChildren(...pendingActivityItems(fallback));
  }

  byId('shipment').hidden = !order.shipment;
  if (order.shipment) byId('shipment-facts').replaceChildren(...shipmentFacts(order.shipment));

  byId('cancel-section').hidden = refused || isFinal(order.status);
  map.follow(order);
}

/** Follows the order over server-sent events until it is final. */
function follow(): void {
  const events = new EventSource(`/orders/${encodeURIComponent(orderId)}/events`);
  const streamState = byId('stream-state');
  const onOrder = (event: MessageEvent<string>) => {
    say(streamState);
    render(JSON.parse(event.data) as OrderRead);
  };
  events.addEventListener('status', onOrder);
  events.addEventListener('fallback', onOrder);
  events.addEventListener('unavailable', () => say(streamState, 'Temporal does not answer right now; still trying.'));
  events.addEventListener('end', () => {
    events.close();
    void getJson<OrderRead>(`/orders/${encodeURIComponent(orderId)}`).then(render);
  });
  events.addEventListener('error', () => {
    if (events.readyState !== EventSource.CLOSED) say(streamState, 'The live stream was cut; reconnecting.');
  });
}

async function cancel(): Promise<void> {
  const result = byId('cancel-result');
  const button = byId<HTMLButtonElement>('cancel-order');
  const reason = byId<HTMLInputElement>('cancel-reason').value.trim();
  button.disabled = true;
  try {
    const { statusCode, body } = await postJson<OrderReply>(`/orders/${encodeURIComponent(orderId)}/cancel`, reason ? { reason } : {});
    if (statusCode === 202) say(result, 'Cancellation accepted: it is being carried out.');
    else {
      say(result, 'The order is cancelled.');
      render(body);
    }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.statusCode === 409) {
      refused = true;
      byId('cancel-section').hidden = true;
      say(result, `The order cannot be cancelled: ${err.message}.`);
    } else say(result, err.statusCode === 401 ? `${err.message}: enter the API key at the top of the page.` : err.message);
  } finally {
    button.disabled = false;
  }
}

startPage(async () => {
  byId('order-id').textContent = orderId;
  document.title = `Order ${orderId} · Temporal orders`;
  byId('cancel-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void cancel();
  });
  const order = await getJson<OrderRead>(`/orders/${encodeURIComponent(orderId)}`);
  render(order);
  if (!isFinal(order.status)) follow();
});
