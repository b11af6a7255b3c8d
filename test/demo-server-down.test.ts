import { freePort } from '../scripts/lib/dev-server';
import type { DemoTarget } from '../scripts/demo/cluster';
import { PlainView } from '../scripts/demo/live-view';
import { startLocalTarget } from '../scripts/demo/local/stack';
import { CI_TIMINGS, playDemo, type DemoReport } from '../scripts/demo/play';
import { demoScenes } from '../scripts/demo/scenes';

// The "Temporal server down" scene needs a server the demo started itself, on a file: here the
// demo starts its own dev server on a free port, as `npm run demo` does when none answers.

const output: string[] = [];
let target: DemoTarget;
let report: DemoReport;

beforeAll(async () => {
  const view = new PlainView((text) => output.push(text));
  target = await startLocalTarget({
    temporalAddress: `127.0.0.1:${await freePort()}`,
    uiPort: await freePort(),
    namespace: 'demo',
    apiPort: await freePort(),
    transitMs: 300,
    log: (line) => view.note(line),
  });
  const scenes = demoScenes('payment').filter((scene) => ['Orders flowing', 'Temporal server down'].includes(scene.title));
  report = await playDemo(target, {
    mode: 'ci',
    timings: {
      ...CI_TIMINGS,
      ordersPerSecond: 2,
      maxOrders: 40,
      holdMs: 4_000,
      settleMs: 500,
      sceneTimeoutMs: 60_000,
      drainTimeoutMs: 60_000,
    },
    view,
    scenes,
  });
}, 240_000);

afterAll(() => target?.stop(), 60_000);

test('the demo SIGKILLs the Temporal server it started, restarts it on the same file, and orders flow again', () => {
  const scene = report.scenes.find((s) => s.title === 'Temporal server down')!;
  expect(target.temporalServer).toBeDefined();
  expect(scene.shownAfterMs).toBeDefined();
  expect(scene.figures.serverDownMs).toBeGreaterThanOrEqual(3_000);
  expect(scene.figures.flowingAgainAfterMs).toBeGreaterThan(0);
  expect(output.join('')).toMatch(/Orders flowed again \d+\.\ds after the restart/);
});

test('no order was refused, lost or done twice across the server crash', () => {
  expect(report.refused).toBe(0);
  expect(report.audit).toMatchObject({ lost: 0, placed: report.placed, passed: true });
  expect(report.placed).toBeGreaterThan(0);
});
