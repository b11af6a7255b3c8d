import type { FastifyInstance } from 'fastify';
import type { BrowserContext } from 'playwright-core';
import { eventually } from '../api/support';
import { orderRequest } from '../support/orders';
import { TestStack } from '../support/stack';
import {
  addToCart,
  API_KEY,
  BROWSER_TEST_TIMEOUT_MS,
  enterApiKey,
  failedResponse,
  fillCheckout,
  launchBrowser,
  placeOrderByApi,
  placeOrderInShop,
  screenshot,
  shownText,
  terminateRunning,
  waitForShownStatus,
  watchedPage,
  webApi,
} from './support';

// The shop and the order page in a real Chromium, against the real stack, with the API key on.

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

let stack: TestStack;
let api: { app: FastifyInstance; url: string };
let browser: { context: BrowserContext; close: () => Promise<void> };
const placed: string[] = [];

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'web-shop' });
  api = await webApi(stack);
  browser = await launchBrowser();
}, BROWSER_TEST_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  if (stack) await terminateRunning(stack, placed);
  await api?.app.close();
  await stack?.stop();
});

test('an order placed through the shop is followed live on its page until it completes, with its shipment and a Web UI link', async () => {
  const { page, errors } = await watchedPage(browser.context);
  await page.goto(`${api.url}/`);
  await page.getByRole('heading', { name: 'Catalog' }).waitFor();
  expect(await page.locator('#catalog tr[data-sku="MUG-DURABLE"] td[data-label="In stock"]').textContent()).toMatch(/^\d+$/);

  const orderId = await placeOrderInShop(page, api.url, [['Durable execution mug', 2]], { customerId: 'c-web-shop' });
  placed.push(orderId);
  await waitForShownStatus(page, 'completed');

  const steps = await page
    .locator('#timeline li')
    .evaluateAll((items) => items.map((item) => `${item.getAttribute('data-step')}:${item.getAttribute('data-state')}`));
  expect(steps).toEqual([
    'validateOrder:completed',
    'screenOrder:completed',
    'reserveStock:completed',
    'chargePayment:completed',
    'shipOrder:completed',
    'commitStock:completed',
    'sendConfirmation:completed',
  ]);
  expect(await page.locator('#shipment-facts').textContent()).toMatch(/Tracking number\S+/);
  expect(await page.getByRole('link', { name: 'This order in the Temporal Web UI' }).getAttribute('href')).toBe(
    `http://localhost:8233/namespaces/web-shop/workflows/order-${orderId}`,
  );
  expect(await page.locator('#cancel-section').isHidden()).toBe(true);
  await screenshot(page, 'order-completed');
  expect(errors).toEqual([]);
});

test('a declined card ends the order as failed, and its page shows the compensation: the stock released and the customer told', async () => {
  const { page, errors } = await watchedPage(browser.context);
  const orderId = await placeOrderInShop(page, api.url, [['Sticker pack', 3]], { customerId: 'c-web-declined', card: 'tok_declined' });
  placed.push(orderId);
  await waitForShownStatus(page, 'failed');

  const steps = await page
    .locator('#timeline li')
    .evaluateAll((items) => items.map((item) => `${item.getAttribute('data-step')}:${item.getAttribute('data-state')}`));
  expect(steps).toEqual(expect.arrayContaining(['chargePayment:failed', 'releaseStock:completed', 'notifyCustomer:completed']));
  expect(steps).not.toContain('shipOrder:completed');
  expect(await page.locator('#timeline li[data-step="chargePayment"] .step-error').textContent()).toMatch(/declined/i);
  expect(await page.locator('#order-failure').textContent()).toMatch(/declined/i);
  await screenshot(page, 'order-declined-compensated');
  expect(errors).toEqual([]);
});

test("a field is checked next to it in the page, and the API's 400 is shown next to the field it names", async () => {
  const { page, errors } = await watchedPage(browser.context);
  await page.goto(`${api.url}/app/`);
  await enterApiKey(page);
  await addToCart(page, 'Sticker pack', 1);
  await fillCheckout(page, { customerId: 'c-web-fields' });
  await page.getByLabel('Postal code').fill('');
  await page.getByRole('button', { name: 'Place order' }).click();
  expect(await shownText(page.locator('#ship-postal-code-error'))).toBe('required');
  expect(await page.getByLabel('Postal code').getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator(':focus').getAttribute('id')).toBe('ship-postal-code');

  await page.getByLabel('Postal code').fill('SW1Y 4JH');
  // The page leaves the name's length to the API: its 400 names body/shippingAddress/name.
  await page.getByLabel('Name', { exact: true }).fill('A'.repeat(101));
  await page.getByRole('button', { name: 'Place order' }).click();
  expect(await shownText(page.locator('#ship-name-error'))).toBe('must NOT have more than 100 characters');
  expect(await page.locator('#ship-postal-code-error').isHidden()).toBe(true);
  expect(page.url()).toBe(`${api.url}/app/`);
  await screenshot(page, 'checkout-field-errors');
  expect(errors).toEqual([failedResponse(400, '/orders')]);
});

test('a checkout retried after its answer was lost sends the same Idempotency-Key and places the order once', async () => {
  const { page, errors } = await watchedPage(browser.context);
  const keys: string[] = [];
  let answers = 0;
  // The first POST reaches the API and places the order; the page never hears back.
  await page.route('**/orders', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    const response = await route.fetch();
    if (answers++ === 0) return route.abort('connectionreset');
    return route.fulfill({ response });
  });
  await page.goto(`${api.url}/app/`);
  await enterApiKey(page);
  await addToCart(page, 'Temporal T-shirt', 1);
  await fillCheckout(page, { customerId: 'c-web-retry' });
  await page.getByRole('button', { name: 'Place order' }).click();
  expect(await shownText(page.locator('#checkout-error'))).toMatch(/did not answer/);
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/app\/order\.html\?id=/);
  placed.push(new URL(page.url()).searchParams.get('id')!);

  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(keys[1]).toBe(keys[0]);
  const list = await eventually(async () => {
    const page = (await (await fetch(`${api.url}/orders?customerId=c-web-retry`)).json()) as { orders: unknown[] };
    expect(page.orders).toHaveLength(1);
    return page;
  });
  expect(list.orders).toHaveLength(1);
  expect(errors).toEqual([expect.stringMatching(/ERR_CONNECTION_RESET/)]);
});

test('the shop fits a phone: nothing wider than the screen, and a product goes in the cart with the keyboard alone', async () => {
  const { page, errors } = await watchedPage(browser.context);
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(`${api.url}/app/`);
  await page.locator('#catalog tbody tr').first().waitFor();
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

  const target = 'Add Durable execution mug to the cart';
  const focused = () => page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? null");
  for (let presses = 0; presses < 40 && (await focused()) !== target; presses++) await page.keyboard.press('Tab');
  expect(await focused()).toBe(target);
  await page.keyboard.press('Enter');
  expect(await shownText(page.locator('#cart tbody tr'))).toMatch(/Durable execution mug1\$14\.00/);
  await screenshot(page, 'shop-phone');
  expect(errors).toEqual([]);
});

test('an order above $1,000 waits in the approvals inbox with its age and the time left before it times out, and approving it there lets it complete', async () => {
  const { page, errors } = await watchedPage(browser.context);
  const orderId = await placeOrderInShop(page, api.url, [['Replay hoodie', 17]], { customerId: 'c-web-approval' });
  placed.push(orderId);
  await waitForShownStatus(page, 'awaiting_approval');

  await page.getByRole('link', { name: 'Approvals' }).click();
  const card = page.locator(`li.card[data-order-id="${orderId}"]`);
  // The inbox reads Visibility, which shows a new status and the deadline within about a second.
  for (let tries = 0; tries < 20 && (await card.locator('.deadline').count()) === 0; tries++) {
    await page.waitForTimeout(500);
    await page.getByRole('button', { name: 'Refresh' }).click();
  }
  expect(await card.textContent()).toMatch(/c-web-approval · \$1,020\.00Waiting for \d+ sTimes out in 23h 59m/);
  const deadline = card.locator('.deadline time');
  const view = await fetch(`${api.url}/orders/${orderId}`, { headers: { 'x-api-key': API_KEY } });
  const { approvalDeadline } = (await view.json()) as { approvalDeadline: string };
  expect(await deadline.getAttribute('datetime')).toBe(approvalDeadline);
  expect(await deadline.getAttribute('title')).toMatch(/^Times out at /);
  // The wait is redrawn every few seconds without reading the list again.
  const waitedAtFirst = await card.locator('.age').textContent();
  for (let tries = 0; tries < 20 && (await card.locator('.age').textContent()) === waitedAtFirst; tries++) await page.waitForTimeout(500);
  expect(await card.locator('.age').textContent()).not.toBe(waitedAtFirst);
  await page.getByLabel('Your name').fill('grace@shop.example');
  await screenshot(page, 'approvals-inbox');
  await card.getByRole('button', { name: `Approve order ${orderId}` }).click();
  expect(await shownText(card.locator('.decision-result'))).toBe('Approved: the order goes on.');

  await card.getByRole('link', { name: `Order ${orderId}` }).click();
  await waitForShownStatus(page, 'completed');
  expect(await page.locator('#timeline li[data-step="awaitApproval"]').getAttribute('data-state')).toBe('completed');
  expect(errors).toEqual([]);
});

test('rejecting an order in the approvals inbox needs a name and a reason, and ends the order as rejected', async () => {
  const { page, errors } = await watchedPage(browser.context);
  const orderId = await placeOrderInShop(
    page,
    api.url,
    [
      ['Signed poster (limited)', 1],
      ['Replay hoodie', 15],
    ],
    { customerId: 'c-web-reject' },
  );
  placed.push(orderId);
  await waitForShownStatus(page, 'awaiting_approval');

  await page.goto(`${api.url}/app/approvals.html`);
  const card = page.locator(`li.card[data-order-id="${orderId}"]`);
  for (let tries = 0; tries < 20 && (await card.count()) === 0; tries++) {
    await page.waitForTimeout(500);
    await page.getByRole('button', { name: 'Refresh' }).click();
  }
  await card.getByRole('button', { name: `Reject order ${orderId}` }).click();
  expect(await shownText(page.locator('#reviewer-error'))).toBe('required to approve or reject');
  await page.getByLabel('Your name').fill('grace@shop.example');
  await card.getByRole('button', { name: `Reject order ${orderId}` }).click();
  expect(await shownText(card.locator('.decision-result'))).toBe('A reason is required to reject.');
  await card.getByLabel('Reason to reject').fill('suspected fraud');
  await card.getByRole('button', { name: `Reject order ${orderId}` }).click();
  expect(await shownText(card.locator('.decision-result'))).toBe('Rejected: the customer is told.');

  await card.getByRole('link', { name: `Order ${orderId}` }).click();
  await waitForShownStatus(page, 'rejected');
  expect(await page.locator('#order-failure').textContent()).toBe('rejected by grace@shop.example: suspected fraud');
  expect(errors).toEqual([]);
});

test("the orders list filters on the customer and the status, and pages with the API's nextPageToken", async () => {
  const ids = [];
  for (let count = 0; count < 6; count++) ids.push(await placeOrderByApi(api.url, orderRequest({ customerId: 'c-web-list' })));
  placed.push(...ids);
  await Promise.all(ids.map((orderId) => stack.client.workflow.getHandle(`order-${orderId}`).result()));

  const { page, errors } = await watchedPage(browser.context);
  await page.goto(`${api.url}/app/orders.html`);
  await page.getByLabel('Status').selectOption('completed');
  await page.getByLabel('Customer id').fill('c-web-list');
  await page.getByLabel('Per page').selectOption('5');
  const rows = page.locator('#orders tbody tr');
  // Visibility shows the orders' last status within about a second.
  await eventually(async () => {
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('Page 1').waitFor();
    expect(await rows.count()).toBe(5);
  });
  const firstPage = await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-order-id')));
  expect(await page.locator('#orders tbody td[data-label="Status"]').allTextContents()).toEqual(Array(5).fill('completed'));
  await screenshot(page, 'orders-list');

  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2').waitFor();
  const secondPage = await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-order-id')));
  expect(secondPage).toHaveLength(1);
  expect([...firstPage, ...secondPage].sort()).toEqual([...ids].sort());
  expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
  expect(errors).toEqual([]);
});
