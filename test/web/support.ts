import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../services/api/app';
import { projectRoot } from '../../services/common/paths';
import { orderWorkflowId } from '../../workflows/ids';
import type { TestStack } from '../support/stack';

/** Where the browser tests leave their screenshots (git-ignored). */
export const SCREENSHOTS = path.join(projectRoot, 'test-output', 'screenshots');

/** The key the browser tests' API requires: the pages must work with the key on. */
export const API_KEY = 'web-test-key-0123456789';

/** Browser tests wait on real orders through real workers: more than jest's default minute. */
export const BROWSER_TEST_TIMEOUT_MS = 180_000;

/** The API with the pages, the API key on, on a free loopback port. */
export async function webApi(stack: Pick<TestStack, 'client'>, temporalTimeoutMs = 5000): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({
    client: stack.client,
    uiUrl: 'http://localhost:8233',
    logLevel: 'warn',
    apiKey: API_KEY,
    temporalTimeoutMs,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

/** Debian's Chromium, headless, with a fresh profile of its own. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'web-test-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new tab that records every console error and uncaught exception of its pages. */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Enters the API key in the header's form, as a person does once per tab. */
export async function enterApiKey(page: Page): Promise<void> {
  await page.getByLabel('API key', { exact: true }).fill(API_KEY);
  await page.getByRole('button', { name: 'Use key' }).click();
  await page.getByText('key set for this tab').waitFor();
}

/** Fills the checkout form with a customer in London and the chosen test card. */
export async function fillCheckout(page: Page, { customerId = 'c-ada', card = 'tok_visa', name = 'Ada Lovelace' } = {}): Promise<void> {
  await page.getByLabel('Customer id').fill(customerId);
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Street and number').fill('12 St James Sq');
  await page.getByLabel('City').fill('London');
  await page.getByLabel('Postal code').fill('SW1Y 4JH');
  await page.getByLabel('Country code').fill('GB');
  await page.getByLabel('Test card').selectOption(card);
}

/** Puts `quantity` of a product in the cart from the catalog table. */
export async function addToCart(page: Page, productName: string, quantity: number): Promise<void> {
  await page.getByLabel(`Quantity of ${productName}`).fill(String(quantity));
  await page.getByRole('button', { name: `Add ${productName} to the cart` }).click();
}

/** Places an order through the shop and resolves with its id, once the order page is shown. */
export async function placeOrderInShop(
  page: Page,
  url: string,
  items: [string, number][],
  checkout: Parameters<typeof fillCheckout>[1] = {},
): Promise<string> {
  await page.goto(`${url}/app/`);
  await enterApiKey(page);
  await page.locator('#catalog tbody tr').first().waitFor();
  for (const [product, quantity] of items) await addToCart(page, product, quantity);
  await fillCheckout(page, checkout);
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/app\/order\.html\?id=/);
  return new URL(page.url()).searchParams.get('id')!;
}

/** Waits until the order page shows this status. */
export async function waitForShownStatus(page: Page, status: string, timeoutMs = 60_000): Promise<void> {
  await page.locator(`#order-status[data-status="${status}"]`).waitFor({ timeout: timeoutMs });
}

/** Ends the orders a test file left running, so no later file's workers in the namespace pick them up. */
export async function terminateRunning(stack: Pick<TestStack, 'client'>, orderIds: string[]): Promise<void> {
  await Promise.all(
    orderIds.map(async (orderId) => {
      const handle = stack.client.workflow.getHandle(orderWorkflowId(orderId));
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') await handle.terminate('the browser test is over');
    }),
  );
}

/** Places an order straight through the API, as another client would. */
export async function placeOrderByApi(url: string, body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { orderId: string }).orderId;
}

/** The text of a message region once the page shows it. */
export async function shownText(locator: Locator): Promise<string> {
  await locator.and(locator.page().locator(':not([hidden])')).waitFor();
  return (await locator.textContent()) ?? '';
}

/** How Chromium logs a response the page asked for and got as an error (the page shows it; the browser logs it too). */
export const failedResponse = (status: number, path: string) => expect.stringMatching(new RegExp(`status of ${status} .*${path}`));
