import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { freePort, startDevServer, type DevServer } from '../../scripts/lib/dev-server';
import { buildApp } from '../../services/api/app';
import { ENCRYPTED_ENCODING, EncryptionCodec } from '../../services/common/encryption-codec';
import { orderWorkflowId, shipmentWorkflowId } from '../../workflows/ids';
import type { OrderView } from '../../workflows/types';
import { orderRequest, waitForStatus } from '../support/orders';
import { TestStack, testKeyring } from '../support/stack';
import { BROWSER_TEST_TIMEOUT_MS, launchBrowser, placeOrderByApi, screenshot, watchedPage } from './support';

// The Temporal Web UI itself, in Chromium: the summaries and details the order carries (user
// metadata), and its encrypted payloads shown in the clear through the API's codec server. The
// global dev server is headless, so this file starts its own, with the UI pointed at the codec.

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

const CUSTOMER_EMAIL = 'grace@example.com';
// The UI decodes a history's payloads in many calls to the codec before it shows the events: slow on a busy machine.
const HISTORY_SHOWN_MS = 90_000;

let server: DevServer;
let stack: TestStack;
let api: FastifyInstance;
let apiUrl: string;
let uiUrl: string;
let browser: { context: BrowserContext; close: () => Promise<void> };
const sharedAddress = process.env.TEMPORAL_ADDRESS;
let order: { orderId: string; runId: string };

beforeAll(async () => {
  const [port, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  apiUrl = `http://127.0.0.1:${apiPort}`;
  uiUrl = `http://127.0.0.1:${uiPort}`;
  server = await startDevServer({ port, uiPort, namespaces: ['web-ui'], uiCodecEndpoint: `${apiUrl}/codec` });
  // The workers and the client connect to this file's server, not the run's headless one.
  process.env.TEMPORAL_ADDRESS = server.address;
  stack = await TestStack.start({ namespace: 'web-ui' });
  // No API key: the UI's browser sends none to the codec (docs/api.md); the UI's origin is allowed by CORS.
  api = await buildApp({
    client: stack.client,
    uiUrl,
    logLevel: 'warn',
    codec: new EncryptionCodec(testKeyring),
    codecCorsOrigins: [uiUrl],
  });
  await api.listen({ host: '127.0.0.1', port: apiPort });
  browser = await launchBrowser();
}, BROWSER_TEST_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await stack?.stop();
  await server?.stop();
  process.env.TEMPORAL_ADDRESS = sharedAddress;
});

const workflowPage = (workflowId: string, runId: string) => `${uiUrl}/namespaces/web-ui/workflows/${workflowId}/${runId}`;

/** The Markdown the UI renders in one of its user-metadata frames (#user-metadata-summary, -details, -current-details). */
const metadataText = async (page: Page, frame: string) =>
  (await page.frameLocator(`#user-metadata-${frame}`).locator('body').innerText()).trim();

/** Console errors caused by this project (the API, its codec server), not by the UI's own calls out (its newsfeed, with no internet here). */
const ours = (errors: string[]) => errors.filter((error) => error.includes(apiUrl) || /codec|CORS/i.test(error));

test('the Web UI shows the order summary, its details and its current step while it waits for approval', async () => {
  // Above the approval threshold: the order waits, running, at a known step.
  const orderId = await placeOrderByApi(
    apiUrl,
    orderRequest({ customerId: 'c-webui', customerEmail: CUSTOMER_EMAIL, items: [{ sku: 'HOODIE-REPLAY', quantity: 17 }] }),
  );
  const handle = stack.client.workflow.getHandle(orderWorkflowId(orderId));
  await waitForStatus(handle, 'awaiting_approval');
  const { runId } = await handle.describe();
  order = { orderId, runId };

  const { page, errors } = await watchedPage(browser.context);
  await page.goto(`${workflowPage(handle.workflowId, runId)}/history`);
  await page
    .getByRole('link', { name: 'User Metadata' })
    .or(page.getByRole('tab', { name: 'User Metadata' }))
    .first()
    .click();
  await page.frameLocator('#user-metadata-current-details').locator('body', { hasText: 'awaitApproval' }).waitFor();
  expect(await metadataText(page, 'summary')).toBe(`Order ${orderId} for customer c-webui: 17 items, $1020.00`);
  expect(await metadataText(page, 'details')).toMatch(
    /Customer c-webui\s+Total 1020\.00 USD\s+17 × HOODIE-REPLAY at 60\.00 USD: 1020\.00 USD/,
  );
  expect(await metadataText(page, 'current-details')).toMatch(/^Status awaiting_approval\s+Step awaitApproval$/);
  await screenshot(page, 'webui-order-user-metadata');
  expect(ours(errors)).toEqual([]);
});

test("once approved and completed, the Web UI shows each activity's summary and, through the codec server, the decoded input", async () => {
  const approved = await fetch(`${apiUrl}/orders/${order.orderId}/approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ approvedBy: 'Grace at the desk' }),
  });
  expect(approved.status).toBeLessThan(300);
  const handle = stack.client.workflow.getHandle(orderWorkflowId(order.orderId));
  expect(((await handle.result()) as OrderView).status).toBe('completed');

  const { page, errors } = await watchedPage(browser.context);
  await page.goto(`${workflowPage(handle.workflowId, order.runId)}/history`);
  const history = page.locator('main');
  await history.getByText('email the customer: order-confirmation').first().waitFor({ timeout: HISTORY_SHOWN_MS });
  for (const summary of [
    'reserve 17 × HOODIE-REPLAY',
    'authorize $1020.00, card token …visa',
    'charge $1020.00',
    'commit the stock of order',
  ]) {
    await expect(history.getByText(summary, { exact: false }).first().isVisible()).resolves.toBe(true);
  }
  await history.getByText('authorize $1020.00, card token …visa').first().scrollIntoViewIfNeeded();
  await screenshot(page, 'webui-order-activity-summaries');
  // The input, encrypted in the history, shown in the clear: the codec server decoded it.
  const email = history.getByText(`"customerEmail": "${CUSTOMER_EMAIL}"`).first();
  await email.waitFor();
  await email.scrollIntoViewIfNeeded();
  await screenshot(page, 'webui-order-decoded');

  await page
    .getByRole('link', { name: 'User Metadata' })
    .or(page.getByRole('tab', { name: 'User Metadata' }))
    .first()
    .click();
  await page.frameLocator('#user-metadata-current-details').locator('body', { hasText: 'completed' }).waitFor();

  const shipment = await stack.client.workflow.getHandle(shipmentWorkflowId(order.orderId)).describe();
  await page.goto(`${workflowPage(shipment.workflowId, shipment.runId)}/history`);
  await page.locator('main').getByText('book a carrier for 17 items').first().waitFor();
  await page
    .getByRole('link', { name: 'User Metadata' })
    .or(page.getByRole('tab', { name: 'User Metadata' }))
    .first()
    .click();
  await page
    .frameLocator('#user-metadata-summary')
    .locator('body', { hasText: `Shipment of order ${order.orderId}: 17 items` })
    .waitFor();
  await screenshot(page, 'webui-shipment-user-metadata');
  expect(ours(errors)).toEqual([]);
});

test('without the codec server the Web UI shows neither the input nor the summaries in the clear', async () => {
  const { page, errors } = await watchedPage(browser.context);
  // The browser cannot reach the codec, as for a person the codec's proxy does not let through.
  await page.route(`${apiUrl}/codec/**`, (route) => route.abort());
  const handle = stack.client.workflow.getHandle(orderWorkflowId(order.orderId));
  await page.goto(`${workflowPage(handle.workflowId, order.runId)}/history`);
  await page.locator('main').getByText('Activity Task Scheduled').first().waitFor({ timeout: HISTORY_SHOWN_MS });
  await page.waitForLoadState('networkidle');
  const shown = await page.locator('main').innerText();
  expect(shown).not.toContain(CUSTOMER_EMAIL);
  expect(shown).not.toContain('email the customer: order-confirmation');
  expect(shown).toContain('Codec Server could not connect');
  // The input as stored: the encryption's metadata (base64, as Temporal's JSON has it) around ciphertext.
  expect(shown).toContain(`"encoding": "${Buffer.from(ENCRYPTED_ENCODING).toString('base64')}"`);
  await screenshot(page, 'webui-order-without-codec');
  // Ours here are only the calls to the codec the test blocked.
  expect(ours(errors).length).toBeGreaterThan(0);
  expect(ours(errors).every((error) => error.includes(`${apiUrl}/codec/decode`))).toBe(true);
});
