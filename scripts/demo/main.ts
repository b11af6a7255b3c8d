import { parseArgs } from 'node:util';
import { temporalConfig } from '../../services/common/config';
import { TaskQueues, type ServiceName } from '../../workflows/task-queues';
import { auditLines } from './audit';
import type { DemoTarget } from './cluster';
import { bothViews, startDashboard, type Dashboard } from './dashboard';
import { startK8sTarget } from './k8s/target';
import { presenterKeys } from './keys';
import { PlainView, TerminalView, type View } from './live-view';
import { startLocalTarget } from './local/stack';
import { CI_TIMINGS, INTERACTIVE_TIMINGS, playDemo, reportLines } from './play';
import { demoScenes } from './scenes';

// `npm run demo`: the live demo (docs/demo.md). Interactive by default: Enter moves to the next
// scene. `--ci` runs unattended with fixed timings and plain output, and exits 1 if the audit fails.

const DASHBOARD_PORT = 8300;

const USAGE = `Usage: npm run demo -- [options]
  --ci                     unattended: fixed timings, plain output, exit code 1 if the audit fails
  --k8s                    drive the Kubernetes deployment (k8s/) with kubectl instead of local processes
  --down <service>         the service the "pod down" scene takes away (default payment)
  --orders-per-second <n>  the order stream's rate (default ${CI_TIMINGS.ordersPerSecond})
  --max-orders <n>         the most orders one run places
  --hold-seconds <n>       --ci: how long each broken state is held (default ${CI_TIMINGS.holdMs / 1000})
  --api-port <port>        local: the API's port (default 3000, or a free one); k8s: the local end of its port-forward
  --ui-port <port>         local: the Web UI of a dev server the demo starts (default 8233); k8s: the port-forward's (default 8080)
  --temporal-port <port>   k8s: the local end of the Temporal frontend's port-forward (default 7233)
  --namespace <name>       local: the Temporal namespace of the demo (default demo)
  --transit-ms <ms>        local: the simulated carrier's transit time (default 1500)
  --dashboard-port <port>  the dashboard for a big screen, on loopback (default ${DASHBOARD_PORT} when interactive, or a free
                           port if that is taken; with --ci only when given; 0 picks a free port)
Environment: TEMPORAL_ADDRESS (local: attach to the Temporal server there, or start the dev server there),
TEMPORAL_UI_URL (the base of the Web UI links), API_KEY (sent with each order when the API requires one).`;

interface Options {
  ci: boolean;
  k8s: boolean;
  down: ServiceName;
  ordersPerSecond?: number;
  maxOrders?: number;
  holdMs: number;
  apiPort?: number;
  uiPort?: number;
  temporalPort?: number;
  namespace: string;
  transitMs: number;
  dashboardPort?: number;
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      ci: { type: 'boolean', default: false },
      k8s: { type: 'boolean', default: false },
      down: { type: 'string' },
      'orders-per-second': { type: 'string' },
      'max-orders': { type: 'string' },
      'hold-seconds': { type: 'string' },
      'api-port': { type: 'string' },
      'ui-port': { type: 'string' },
      'temporal-port': { type: 'string' },
      namespace: { type: 'string', default: 'demo' },
      'transit-ms': { type: 'string', default: '1500' },
      'dashboard-port': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${raw}"`);
    return value;
  };
  const port = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 65_535)
      throw new Error(`--${name} must be a port number (0 for a free one), got "${raw}"`);
    return value;
  };
  const down = values.down ?? 'payment';
  if (!(down in TaskQueues)) throw new Error(`--down must be one of ${Object.keys(TaskQueues).join(', ')}`);
  return {
    ci: values.ci,
    k8s: values.k8s,
    down: down as ServiceName,
    ordersPerSecond: number('orders-per-second', values['orders-per-second']),
    maxOrders: number('max-orders', values['max-orders']),
    holdMs: (number('hold-seconds', values['hold-seconds']) ?? CI_TIMINGS.holdMs / 1000) * 1000,
    apiPort: number('api-port', values['api-port']),
    uiPort: number('ui-port', values['ui-port']),
    temporalPort: number('temporal-port', values['temporal-port']),
    namespace: values.namespace,
    transitMs: number('transit-ms', values['transit-ms'])!,
    dashboardPort: port('dashboard-port', values['dashboard-port']),
  };
}

function startTarget(options: Options, view: View): Promise<DemoTarget> {
  const log = (line: string) => view.note(line);
  if (options.k8s) {
    return startK8sTarget({
      temporalPort: options.temporalPort ?? 7233,
      uiPort: options.uiPort ?? 8080,
      apiPort: options.apiPort ?? 3000,
      log,
    });
  }
  return startLocalTarget({
    temporalAddress: temporalConfig().address,
    uiPort: options.uiPort ?? 8233,
    uiUrl: process.env.TEMPORAL_UI_URL || undefined,
    namespace: options.namespace,
    apiPort: options.apiPort,
    transitMs: options.transitMs,
    log,
  });
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : err}\n\n${USAGE}`);
    return 2;
  }
  const mode = options.ci ? 'ci' : 'interactive';
  if (mode === 'interactive' && !process.stdin.isTTY) {
    console.error('The interactive demo waits for Enter at a terminal; without one, run it with --ci.');
    return 2;
  }
  const screen: View = mode === 'interactive' && process.stdout.isTTY ? new TerminalView() : new PlainView();
  let dashboard: Dashboard | undefined;
  try {
    dashboard = await openDashboard(options, mode);
  } catch (err) {
    console.error(`[demo] ${err instanceof Error ? err.message : err}`);
    return 2;
  }
  const view = dashboard ? bothViews(screen, dashboard) : screen;
  if (dashboard) view.note(`the dashboard for a big screen: ${dashboard.url}`);
  const base = mode === 'ci' ? CI_TIMINGS : INTERACTIVE_TIMINGS;
  const timings = {
    ...base,
    holdMs: options.holdMs,
    ordersPerSecond: options.ordersPerSecond ?? base.ordersPerSecond,
    maxOrders: options.maxOrders ?? base.maxOrders,
  };

  const target = await startTarget(options, view);
  let stopping: Promise<void> | undefined;
  const stopAndExit = (code: number) => {
    stopping ??= target.stop().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => stopAndExit(130));
  process.once('SIGTERM', () => stopAndExit(143));
  const keys = mode === 'interactive' ? presenterKeys(() => stopAndExit(130)) : undefined;

  try {
    const next = keys && (() => (dashboard ? dashboard.next(keys.next()) : keys.next()));
    const report = await playDemo(target, { mode, timings, view, scenes: demoScenes(options.down), next });
    view.close(reportLines(report, auditLines(report.audit)));
    if (keys) {
      console.log('\nEnter stops the demo; the Web UI stays up until then.');
      await keys.next();
    }
    return report.audit.passed && report.placed > 0 ? 0 : 1;
  } catch (err) {
    view.close([`The demo stopped: ${err instanceof Error ? err.stack : err}`]);
    return 1;
  } finally {
    keys?.close();
    stopping ??= target.stop();
    await stopping;
    await dashboard?.stop();
  }
}

/** The dashboard, if this run has one: asked for with --dashboard-port, or by default when interactive. */
async function openDashboard(options: Options, mode: 'interactive' | 'ci'): Promise<Dashboard | undefined> {
  if (options.dashboardPort !== undefined) return startDashboard({ port: options.dashboardPort });
  if (mode === 'ci') return undefined;
  return startDashboard({ port: DASHBOARD_PORT }).catch(() => startDashboard({ port: 0 }));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('[demo]', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
