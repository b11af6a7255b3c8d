import { ApiError, getJson, postJson } from '../api';
import type { OrderPage, OrderSummary } from '../contract';
import { byId, el, say } from '../dom';
import { age, money, timeLeft } from '../format';
import { startPage } from '../page';

const reviewer = byId<HTMLInputElement>('reviewer');

// How often the waits and the time left are redrawn, without reading the list again.
const TICK_MS = 5000;

/** The reviewer's name, or undefined after showing why it is needed. */
function reviewerName(): string | undefined {
  const name = reviewer.value.trim();
  say(byId('reviewer-error'), name ? '' : 'required to approve or reject');
  reviewer.setAttribute('aria-invalid', String(!name));
  if (!name) reviewer.focus();
  return name || undefined;
}

async function decide(order: OrderSummary, card: HTMLElement, action: 'approve' | 'reject', reason?: HTMLInputElement): Promise<void> {
  const result = card.querySelector<HTMLElement>('.decision-result')!;
  say(result);
  const by = reviewerName();
  if (!by) return;
  if (reason && !reason.value.trim()) {
    say(result, 'A reason is required to reject.');
    return reason.focus();
  }
  const body = action === 'approve' ? { approvedBy: by } : { rejectedBy: by, reason: reason!.value.trim() };
  try {
    await postJson(`/orders/${encodeURIComponent(order.orderId)}/${action}`, body);
    say(result, action === 'approve' ? 'Approved: the order goes on.' : 'Rejected: the customer is told.');
    card.querySelectorAll('button').forEach((button) => (button.disabled = true));
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    say(result, err.statusCode === 401 ? `${err.message}: enter the API key at the top of the page.` : err.message);
  }
}

const waitedFor = (since: string): string => `Waiting for ${age(since)}`;

/** The time left as text, the deadline itself in the machine-readable attribute and the tooltip. */
const deadlineTime = (deadline: string): HTMLTimeElement =>
  el('time', { datetime: deadline, title: `Times out at ${new Date(deadline).toLocaleString()}` }, timeLeft(deadline));

/** Redraws every card's wait and time left from the clock. */
function tick(): void {
  const inbox = byId('inbox');
  inbox.querySelectorAll<HTMLElement>('[data-since]').forEach((wait) => (wait.textContent = waitedFor(wait.dataset.since!)));
  inbox.querySelectorAll<HTMLTimeElement>('time[datetime]').forEach((time) => (time.textContent = timeLeft(time.dateTime)));
}

function orderCard(order: OrderSummary): HTMLLIElement {
  const reasonId = `reason-${order.orderId}`;
  const reason = el('input', { id: reasonId, maxlength: '500' });
  const approve = el('button', { type: 'button', 'aria-label': `Approve order ${order.orderId}` }, 'Approve');
  const reject = el('button', { type: 'button', 'aria-label': `Reject order ${order.orderId}` }, 'Reject');
  const card = el(
    'li',
    { class: 'card', 'data-order-id': order.orderId },
    el('h2', {}, el('a', { href: `/app/order.html?id=${encodeURIComponent(order.orderId)}` }, `Order ${order.orderId}`)),
    el('p', {}, `${order.customerId ?? 'unknown customer'} · ${order.totalCents === undefined ? '' : money(order.totalCents)}`),
    order.startedAt && el('p', { class: 'age', 'data-since': order.startedAt }, waitedFor(order.startedAt)),
    order.approvalDeadline && el('p', { class: 'deadline' }, deadlineTime(order.approvalDeadline)),
    el('div', { class: 'field' }, el('label', { for: reasonId }, 'Reason to reject'), reason),
    el('p', { class: 'actions' }, approve, ' ', reject),
    el('p', { class: 'decision-result', role: 'status', hidden: '' }),
  );
  approve.addEventListener('click', () => void decide(order, card, 'approve'));
  reject.addEventListener('click', () => void decide(order, card, 'reject', reason));
  return card;
}

async function loadInbox(): Promise<void> {
  const page = await getJson<OrderPage>('/orders?status=awaiting_approval&pageSize=100');
  byId('inbox').replaceChildren(...page.orders.map(orderCard));
  byId('inbox-state').textContent = page.orders.length === 0 ? 'No order is waiting for approval.' : `${page.orders.length} waiting`;
}

startPage(async () => {
  byId('refresh').addEventListener('click', () => void loadInbox());
  await loadInbox();
  setInterval(tick, TICK_MS);
});
