import { ApiError, getJson, postJson } from '../api';
import type { OrderPage, OrderSummary } from '../contract';
import { byId, el, say } from '../dom';
import { age, money } from '../format';
import { startPage } from '../page';

const reviewer = byId<HTMLInputElement>('reviewer');

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
    order.startedAt && el('p', { class: 'age' }, `Waiting for ${age(order.startedAt)}`),
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
});
