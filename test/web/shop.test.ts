import type { FastifyInstance } from 'fastify';
import type { BrowserContext } from 'playwright-core';
import { TestStack } from '../support/stack';
import { BROWSER_TEST_TIMEOUT_MS, launchBrowser, placeOrderInShop, screenshot, terminateRunning, waitForShownStatus, watchedPage, webApi } from './support';

// The shop and the order page in a real Chromium, against the real stack, with the API key on.
// The namespace is e2e.test.ts's: test/support/namespaces.ts has none for the pages yet.

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

let stack: TestStack;
let api: { app: FastifyInstance; url: string };
let browser: { context: BrowserContext; close: () => Promise<void> };
const placed: string[] = [];

beforeAll(async () => {
  stack = await TestStack.start({ namespace: 'e2e' });
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

  const steps = await page.locator('#timeline li').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-step')}:${item.getAttribute('data-state')}`));
  expect(steps).toEqual(['validateOrder:completed', 'reserveStock:completed', 'chargePayment:completed', 'shipOrder:completed', 'commitStock:completed', 'sendConfirmation:completed']);
  expect(await page.locator('#shipment-facts').textContent()).toMatch(/Tracking number\S+/);
  expect(await page.getByRole('link', { name: 'This order in the Temporal Web UI' }).getAttribute('href')).toBe(`http://localhost:8233/namespaces/e2e/workflows/order-${orderId}`);
  expect(await page.locator('#cancel-section').isHidden()).toBe(true);
  await screenshot(page, 'order-completed');
  expect(errors).toEqual([]);
});

test('a declined card ends the order as failed, and its page shows the compensation: the stock released and the customer told', async () => {
  const { page, errors } = await watchedPage(browser.context);
  const orderId = await placeOrderInShop(page, api.url, [['Sticker pack', 3]], { customerId: 'c-web-declined', card: 'tok_declined' });
  placed.push(orderId);
  await waitForShownStatus(page, 'failed');

  const steps = await page.locator('#timeline li').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-step')}:${item.getAttribute('data-state')}`));
  expect(steps).toEqual(expect.arrayContaining(['chargePayment:failed', 'releaseStock:completed', 'notifyCustomer:completed']));
  expect(steps).not.toContain('shipOrder:completed');
  expect(await page.locator('#timeline li[data-step="chargePayment"] .step-error').textContent()).toMatch(/declined/i);
  expect(await page.locator('#order-failure').textContent()).toMatch(/declined/i);
  await screenshot(page, 'order-declined-compensated');
  expect(errors).toEqual([]);
});
