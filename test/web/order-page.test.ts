import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { TestStack } from '../support/stack';
import {
  BROWSER_TEST_TIMEOUT_MS,
  failedResponse,
  launchBrowser,
  placeOrderInShop,
  screenshot,
  shownText,
  terminateRunning,
  waitForShownStatus,
  watchedPage,
  webApi,
} from './support';

// The order page's actions and its fallback, in a real Chromium against the real stack. The card
// gateway takes 2.5s a call, so an order spends seconds charging before it ships, and a parcel is
// in transit for a minute, so a shipped order stays shipping while the test runs.

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

let stack: TestStack;
let api: { app: FastifyInstance; url: string };
let browser: { context: BrowserContext; close: () => Promise<void> };
const placed: string[] = [];

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'web-order-page', env: { PAYMENT_GATEWAY_LATENCY_MS: '2500', SHIPPING_TRANSIT_MS: '60000' } });
  api = await webApi(stack);
  browser = await launchBrowser();
}, BROWSER_TEST_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  if (stack) await terminateRunning(stack, placed);
  await api?.app.close();
  await stack?.stop();
});

const shownSteps = (page: Page) =>
  page
    .locator('#timeline li')
    .evaluateAll((items) => items.map((item) => `${item.getAttribute('data-step')}:${item.getAttribute('data-state')}`));

test('an order cancelled from its page before it ships is refunded, its stock released and the customer told', async () => {
  const { page, errors } = await watchedPage(browser.context);
  const orderId = await placeOrderInShop(page, api.url, [['Temporal T-shirt', 1]], { customerId: 'c-web-cancel' });
  placed.push(orderId);
  await page.locator('#timeline li[data-step="chargePayment"][data-state="running"]').waitFor();
  await page.getByLabel('Reason (optional)').fill('ordered the wrong size');
  await page.getByRole('button', { name: 'Cancel order' }).click();
  // The cancellation waits for the charge under way, then undoes it: a 200, or a 202 past the API's deadline.
  expect(await shownText(page.locator('#cancel-result'))).toMatch(
    /^(The order is cancelled\.|Cancellation accepted: it is being carried out\.)$/,
  );

  await waitForShownStatus(page, 'cancelled');
  expect(await shownSteps(page)).toEqual(
    expect.arrayContaining(['chargePayment:completed', 'refundPayment:completed', 'releaseStock:completed', 'notifyCustomer:completed']),
  );
  expect(await shownSteps(page)).not.toContain('shipOrder:running');
  expect(await page.locator('#order-failure').textContent()).toBe('ordered the wrong size');
  expect(await page.locator('#cancel-section').isHidden()).toBe(true);
  await screenshot(page, 'order-cancelled');
  expect(errors).toEqual([]);
});

test('a cancel asked for after the order has shipped shows the refusal the workflow gave', async () => {
  const { page, errors } = await watchedPage(browser.context);
  const orderId = await placeOrderInShop(page, api.url, [['Sticker pack', 2]], { customerId: 'c-web-shipped' });
  placed.push(orderId);
  await waitForShownStatus(page, 'shipping');
  await page.getByRole('button', { name: 'Cancel order' }).click();

  expect(await shownText(page.locator('#cancel-result'))).toBe(
    'The order cannot be cancelled: the order has shipped and can no longer be cancelled.',
  );
  expect(await page.locator('#cancel-section').isHidden()).toBe(true);
  expect(await page.locator('#order-status').getAttribute('data-status')).toBe('shipping');
  await screenshot(page, 'order-cancel-refused');
  expect(errors).toEqual([failedResponse(409, `/orders/${orderId}/cancel`)]);
});

test('while no orders worker answers, the order page shows what Temporal knows: the reason and the activity it waits on', async () => {
  await stack.stopWorker('payment');
  const { page, errors } = await watchedPage(browser.context);
  const orderId = await placeOrderInShop(page, api.url, [['Durable execution mug', 1]], { customerId: 'c-web-fallback' });
  placed.push(orderId);
  await page.locator('#timeline li[data-step="chargePayment"][data-state="running"]').waitFor();
  await stack.stopWorker('orders');

  expect(await shownText(page.locator('#fallback-reason'))).toMatch(
    /^The orders worker did not answer: the status query got no answer within \d+ ms\. The timeline is the last one it reported\.$/,
  );
  expect(await page.locator('#fallback-facts').textContent()).toMatch(/Workflow statusRUNNING/);
  expect(await shownText(page.locator('#pending-activities li[data-activity="authorizePayment"]'))).toMatch(
    new RegExp(`^authorizePayment \\(order-${orderId}\\): scheduled, attempt 1`),
  );
  expect(await page.locator('#timeline li[data-step="chargePayment"]').getAttribute('data-state')).toBe('running');
  await screenshot(page, 'order-fallback');

  await Promise.all([stack.startWorker('orders'), stack.startWorker('payment')]);
  await waitForShownStatus(page, 'shipping');
  await page.locator('#fallback').waitFor({ state: 'hidden' });
  expect(errors).toEqual([]);
});

test('the order page draws its workflow map as an SVG sequence diagram of the client, Temporal and each worker, and redraws it as the order moves on', async () => {
  const { page, errors } = await watchedPage(browser.context);
  const orderId = await placeOrderInShop(page, api.url, [['Sticker pack', 1]], { customerId: 'c-web-map' });
  placed.push(orderId);
  const actors = () => page.locator('#workflow-map-diagram svg[aria-roledescription="sequence"] text.actor').allTextContents();
  await page.locator('#workflow-map-diagram svg[aria-roledescription="sequence"]').waitFor();
  expect(await actors()).toEqual(expect.arrayContaining(['Client (API)', 'Temporal', expect.stringMatching(/^orders worker \d+@/)]));

  await waitForShownStatus(page, 'shipping');
  await page
    .locator('#workflow-map-diagram svg text.actor', { hasText: /^shipping worker \d+@/ })
    .first()
    .waitFor();
  expect(await actors()).toEqual(
    expect.arrayContaining([
      'Client (API)',
      'Temporal',
      ...['orders', 'inventory', 'payment', 'shipping'].map((service) => expect.stringMatching(new RegExp(`^${service} worker \\d+@`))),
    ]),
  );
  expect(await page.locator('#workflow-map-diagram svg').textContent()).toContain(`start child ShipmentWorkflow shipment-${orderId}`);
  await page.getByRole('button', { name: 'Refresh map' }).click();
  await page.locator('#workflow-map-diagram svg[aria-roledescription="sequence"]').waitFor();
  await screenshot(page, 'order-workflow-map');
  expect(errors).toEqual([]);
});
