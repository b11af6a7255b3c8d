import { ORDER_STATUSES } from '../../../workflows/types';
import { ApiError, getJson } from '../api';
import type { OrderPage, OrderSummary } from '../contract';
import { byId, el, say } from '../dom';
import { clock, money, statusLabel } from '../format';
import { startPage } from '../page';

const form = byId<HTMLFormElement>('filters');
let pageNumber = 1;
let nextPageToken: string | undefined;

function filterQuery(pageToken?: string): string {
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim()) query.set(name, value.trim());
  if (pageToken) query.set('pageToken', pageToken);
  return query.toString();
}

const orderRow = (order: OrderSummary): HTMLTableRowElement =>
  el(
    'tr',
    { 'data-order-id': order.orderId },
    el('th', { scope: 'row' }, el('a', { href: `/app/order.html?id=${encodeURIComponent(order.orderId)}` }, order.orderId)),
    el('td', { 'data-label': 'Status' }, statusLabel(order.status ?? order.workflowStatus.toLowerCase())),
    el('td', { 'data-label': 'Customer' }, order.customerId ?? ''),
    el('td', { 'data-label': 'Total' }, order.totalCents === undefined ? '' : money(order.totalCents)),
    el('td', { 'data-label': 'Placed' }, order.startedAt ? clock(order.startedAt) : ''),
  );

async function showPage(pageToken?: string): Promise<void> {
  try {
    const page = await getJson<OrderPage>(`/orders?${filterQuery(pageToken)}`);
    say(byId('filter-error'));
    byId('orders')
      .querySelector('tbody')!
      .replaceChildren(...page.orders.map(orderRow));
    byId('orders-empty').hidden = page.orders.length > 0;
    nextPageToken = page.nextPageToken;
    byId<HTMLButtonElement>('next-page').disabled = !nextPageToken;
    byId<HTMLButtonElement>('first-page').disabled = pageNumber === 1;
    byId('page-number').textContent = `Page ${pageNumber}`;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    say(byId('filter-error'), err.message);
  }
}

startPage(async () => {
  byId('filter-status').append(...ORDER_STATUSES.map((status) => el('option', { value: status }, statusLabel(status))));
  const initial = new URLSearchParams(location.search);
  for (const element of form.elements) {
    const field = element as HTMLInputElement | HTMLSelectElement;
    const value = field.name && initial.get(field.name);
    if (value) field.value = value;
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    pageNumber = 1;
    history.replaceState(null, '', `?${filterQuery()}`);
    void showPage();
  });
  byId('next-page').addEventListener('click', () => {
    pageNumber += 1;
    void showPage(nextPageToken);
  });
  byId('first-page').addEventListener('click', () => {
    pageNumber = 1;
    void showPage();
  });
  await showPage();
});
