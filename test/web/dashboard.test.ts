import type { BrowserContext, Page } from 'playwright-core';
import { freePort } from '../../scripts/lib/dev-server';
import { bothViews, startDashboard, type Dashboard } from '../../scripts/demo/dashboard';
import { PlainView } from '../../scripts/demo/live-view';
import { startLocalTarget } from '../../scripts/demo/local/stack';
import { CI_TIMINGS, playDemo, reportLines, type DemoReport } from '../../scripts/demo/play';
import { auditLines } from '../../scripts/demo/audit';
import { demoScenes } from '../../scripts/demo/scenes';
import type { DemoTarget } from '../../scripts/demo/cluster';
import { temporalAddress } from '../support/stack';
import { BROWSER_TEST_TIMEOUT_MS, launchBrowser, screenshot, watchedPage } from './support';

// The projector dashboard, in a real Chromium, following a real demo run (its own workers and API
// on the test run's Temporal server) through its first scenes: the presenter moves on with the
// page's "Next scene" button, and the page follows each scene change.

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS * 2);

let target: DemoTarget;
let dashboard: Dashboard;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let errors: string[];
let played: Promise<DemoReport>;

beforeAll(async () => {
  target = await startLocalTarget({
    temporalAddress: temporalAddress(),
    uiPort: 8233,
    namespace: 'web-dashboard',
    apiPort: await freePort(),
    transitMs: 300,
    log: () => undefined,
  });
  dashboard = await startDashboard({ port: 0 });
  const view = bothViews(new PlainView(() => undefined), dashboard);
  played = playDemo(target, {
    mode: 'interactive',
    timings: { ...CI_TIMINGS, ordersPerSecond: 1, maxOrders: 40, drainTimeoutMs: 60_000 },
    view,
    // The prologue, the bugged shipping pod, and the fixed one: enough to follow two scene changes and end with every order finished.
    scenes: demoScenes('payment').slice(0, 3),
    next: () => dashboard.next(),
  }).then((report) => {
    view.close(reportLines(report, auditLines(report.audit)));
    return report;
  });
  browser = await launchBrowser();
  ({ page, errors } = await watchedPage(browser.context));
  await page.goto(dashboard.url);
}, BROWSER_TEST_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await target?.stop();
}, 60_000);

const nextScene = () => page.getByRole('button', { name: 'Next scene' });

/** Waits until the scene's point is shown (its heading gets the check mark), as a presenter would before moving on. */
async function sceneShown(title: string): Promise<void> {
  await page.locator('h1.shown', { hasText: title }).waitFor({ timeout: 90_000 });
}

test('the prologue shows the orders flowing and a row per task queue, with every service polled', async () => {
  await sceneShown('Prologue · Orders flowing');
  expect(Number(await page.locator('#completed').textContent())).toBeGreaterThanOrEqual(3);
  for (const queue of ['orders', 'payment', 'inventory', 'shipping', 'email']) {
    const row = page.locator(`#queues tr[data-queue="${queue}"]`);
    await expect(row.locator('td').first().textContent()).resolves.toBe('1');
  }
  await expect(page.locator('#hint').textContent()).resolves.toMatch(/Next scene/);
  await screenshot(page, 'dashboard-orders-flowing');
});

test('"Next scene" moves the demo on, and the page follows: the bugged shipping pod is shown in red', async () => {
  await nextScene().click();
  await sceneShown('Scene 1 of 2 · Bugged pod');
  await page.locator('#queues tr[data-queue="shipping"] td.bad', { hasText: '1 bugged' }).waitFor();
  await expect(page.locator('#narration').textContent()).resolves.toMatch(/crashes while printing the label/);
  await expect(page.locator('#spotlight li').count()).resolves.toBeGreaterThan(0);
  await screenshot(page, 'dashboard-bugged-pod');
});

test('after the last scene the page shows the report, and the audit passed', async () => {
  await nextScene().click();
  await sceneShown('Scene 2 of 2 · Fixed pod');
  await nextScene().click();
  const report = await played;
  expect(report.audit.passed).toBe(true);
  await page.locator('#report-section:not([hidden])').waitFor();
  await expect(page.locator('#report').textContent()).resolves.toContain(`Run ${report.runId}`);
  await expect(nextScene().isDisabled()).resolves.toBe(true);
  await screenshot(page, 'dashboard-report');
  expect(errors).toEqual([]);
});

test('the button is refused with a JSON reason when the demo is not waiting for it, or without a JSON request', async () => {
  const over = await fetch(new URL('next', dashboard.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(over.status).toBe(409);
  await expect(over.json()).resolves.toEqual({ error: 'not waiting for the next scene: the demo is over' });
  const form = await fetch(new URL('next', dashboard.url), { method: 'POST', body: 'x=1' });
  expect(form.status).toBe(415);
  expect((await form.json()) as object).toHaveProperty('error');
});
