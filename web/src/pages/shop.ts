import { ApiError, getJson, postJson } from '../api';
import { Cart } from '../cart';
import { checkFields, formField, orderBody, type FieldProblem } from '../checkout-fields';
import type { Catalog, CatalogProduct } from '../contract';
import { byId, el, say } from '../dom';
import { money } from '../format';
import { CheckoutKey } from '../idempotency';
import { startPage } from '../page';

const cart = new Cart();
const checkoutKey = new CheckoutKey();
const form = byId<HTMLFormElement>('checkout');
const fields = [...form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-field]')];

function productRow(product: CatalogProduct): HTMLTableRowElement {
  const quantityId = `quantity-${product.sku}`;
  const quantity = el('input', {
    id: quantityId,
    type: 'number',
    min: '1',
    max: String(Math.min(100, product.stock ?? 100)),
    value: '1',
    inputmode: 'numeric',
  });
  const add = el('button', { type: 'button' }, 'Add');
  add.setAttribute('aria-label', `Add ${product.name} to the cart`);
  add.disabled = product.stock === 0;
  add.addEventListener('click', () => {
    const count = Number(quantity.value);
    if (!Number.isInteger(count) || count < 1) return quantity.focus();
    cart.add(product, count);
    renderCart();
  });
  return el(
    'tr',
    { 'data-sku': product.sku },
    el('th', { scope: 'row' }, product.name),
    el('td', { 'data-label': 'Price' }, money(product.priceCents)),
    el('td', { 'data-label': 'In stock' }, product.stock === null ? 'unknown' : String(product.stock)),
    el(
      'td',
      { 'data-label': 'Add to cart' },
      el('label', { for: quantityId, class: 'visually-hidden' }, `Quantity of ${product.name}`),
      quantity,
      add,
    ),
  );
}

function renderCart(): void {
  const lines = cart.contents();
  byId('cart-empty').hidden = lines.length > 0;
  byId('cart').hidden = lines.length === 0;
  byId('cart')
    .querySelector('tbody')!
    .replaceChildren(
      ...lines.map(({ product, quantity }) => {
        const remove = el('button', { type: 'button', 'aria-label': `Remove ${product.name}` }, 'Remove');
        remove.addEventListener('click', () => {
          cart.remove(product.sku);
          renderCart();
        });
        return el(
          'tr',
          {},
          el('th', { scope: 'row' }, product.name),
          el('td', { 'data-label': 'Quantity' }, String(quantity)),
          el('td', { 'data-label': 'Amount' }, money(product.priceCents * quantity)),
          el('td', {}, remove),
        );
      }),
    );
  byId('cart-total').textContent = money(cart.totalCents());
  if (lines.length > 0) say(byId('items-error'));
}

async function loadCatalog(): Promise<void> {
  const catalog = await getJson<Catalog>('/catalog');
  byId('catalog')
    .querySelector('tbody')!
    .replaceChildren(...catalog.products.map(productRow));
  say(byId('stock-note'), catalog.stockKnown ? '' : 'The inventory service did not answer in time: stock is unknown for now.');
}

const formValues = (): Record<string, string> => Object.fromEntries(fields.map((field) => [field.dataset.field!, field.value.trim()]));

/** Shows each problem next to its field, clears the others, and focuses the first field at fault. */
function showProblems(problems: FieldProblem[]): void {
  for (const field of fields) {
    const problem = problems.find((candidate) => candidate.field === field.dataset.field);
    say(byId(`${field.id}-error`), problem?.message);
    field.setAttribute('aria-invalid', String(problem !== undefined));
  }
  fields.find((field) => problems.some((problem) => problem.field === field.dataset.field))?.focus();
}

async function placeOrder(): Promise<void> {
  const problems = checkFields(formValues());
  showProblems(problems);
  say(byId('checkout-error'));
  if (cart.items().length === 0) say(byId('items-error'), 'Add something to the cart first.');
  if (problems.length > 0 || cart.items().length === 0) return;

  const body = orderBody(formValues(), cart.items());
  const button = byId<HTMLButtonElement>('place-order');
  button.disabled = true;
  try {
    const { body: placed } = await postJson<{ orderId: string }>('/orders', body, checkoutKey.for(body));
    location.assign(`/app/order.html?id=${encodeURIComponent(placed.orderId)}`);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const field = formField(err.field);
    // Next to its field, the message need not name the field again.
    if (field && fields.some((candidate) => candidate.dataset.field === field))
      showProblems([{ field, message: err.message.replace(`${err.field} `, '') }]);
    else say(byId('checkout-error'), err.statusCode === 401 ? `${err.message}: enter the API key at the top of the page.` : err.message);
  } finally {
    button.disabled = false;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void placeOrder();
});

startPage(loadCatalog);
