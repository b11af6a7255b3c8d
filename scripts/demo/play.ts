import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditReport } from './audit';
import type { DemoTarget } from './cluster';
import type { Frame, View } from './live-view';
import { Observer, workflowListLink, type Snapshot } from './observer';
import { OrderStream } from './order-stream';
import type { Scene, Spotlight, Stage, Watch } from './scenes';

// Plays the scenes on a target while the order stream runs and the view refreshes, then lets
// the last orders finish and audits the run.

export interface DemoTimings {
  ordersPerSecond: number;
  /** The stream stops after this many orders, whatever happens. */
  maxOrders: number;
  /** CI: a 'hold' scene lasts at least this long; a 'recover' scene pauses this long once recovered. */
  holdMs: number;
  settleMs: number;
  /** The longest a scene waits to make its point before the demo moves on (the audit then tells what was lost). */
  sceneTimeoutMs: number;
  /** After the stream stops, how long the last orders have to finish. */
  drainTimeoutMs: number;
  refreshMs: number;
}

export const CI_TIMINGS: DemoTimings = {
  ordersPerSecond: 2,
  maxOrders: 600,
  holdMs: 12_000,
  settleMs: 2_000,
  sceneTimeoutMs: 120_000,
  drainTimeoutMs: 120_000,
  refreshMs: 1_000,
};

export const INTERACTIVE_TIMINGS: DemoTimings = { ...CI_TIMINGS, maxOrders: 2_000 };

export interface SceneResult {
  title: string;
  kind: Scene['kind'];
  /** From the scene's action until its point was shown: the failure seen, or every waiting order finished. */
  shownAfterMs?: number;
  /** The largest value seen of each of the scene's figures. */
  figures: Record<string, number>;
}

export interface DemoReport {
  runId: string;
  scenes: SceneResult[];
  placed: number;
  refused: number;
  /** Why the stream stopped early, if it did. */
  streamFailure?: string;
  drainedAfterMs?: number;
  audit: AuditReport;
  durationMs: number;
}

export interface PlayOptions {
  mode: 'interactive' | 'ci';
  timings: DemoTimings;
  view: View;
  scenes: Scene[];
  /** Interactive mode: resolves when the presenter asks for the next scene. */
  next?: () => Promise<void>;
}

interface Act {
  heading: string;
  narration: string;
  result: SceneResult;
  actedAt: number;
  watch?: Watch;
}

/** Runs the demo on `target` and returns its figures and audit; the target is left running. */
export async function playDemo(target: DemoTarget, { mode, timings, view, scenes, next }: PlayOptions): Promise<DemoReport> {
  const startedAt = Date.now();
  const runId = `demo-${startedAt.toString(36)}`;
  const observer = new Observer(target.client, target.namespace, runId, target.cluster);
  const stream = new OrderStream({
    apiUrl: target.apiUrl,
    customerId: runId,
    ordersPerSecond: timings.ordersPerSecond,
    maxOrders: timings.maxOrders,
    apiKey: process.env.API_KEY,
  });
  const stage: Stage = {
    cluster: target.cluster,
    observer,
    uiUrl: target.uiUrl,
    temporalServer: target.temporalServer,
    orders: stream,
    note: (line) => view.note(line),
  };
  const links = {
    target: target.description,
    namespace: target.namespace,
    ui: target.uiUrl,
    api: target.apiUrl,
    orders: workflowListLink(target.uiUrl, target.namespace, `CustomerId = "${runId}"`),
  };
  for (const note of target.notes) view.note(note);
  view.note(`this run's orders: ${links.orders}`);

  let act: Act = {
    heading: 'Starting',
    narration: 'Placing the first orders.',
    result: { title: 'start', kind: 'hold', figures: {} },
    actedAt: startedAt,
  };
  let spotlight: Spotlight = { lines: [], shown: false, figures: {} };
  const recent: Snapshot[] = [];
  let latest: Snapshot | undefined;

  const refresh = async () => {
    let problem: string | undefined;
    try {
      latest = await observer.snapshot();
      recent.push(latest);
      while (recent.length > 1 && latest.at - recent[0].at > 10_000) recent.shift();
      const watching = act;
      if (watching.watch) {
        const seen = await watching.watch(latest);
        record(watching, seen);
        // The scene may have changed while Temporal answered; show only the current one's spotlight.
        if (act === watching) spotlight = seen;
      }
    } catch (err) {
      problem = err instanceof Error ? err.message : String(err);
    }
    view.frame(frameOf(problem));
  };
  const frameOf = (problem?: string): Frame => {
    const oldest = recent[0];
    const finished = (s: Snapshot) => s.completed + s.compensated;
    const throughput =
      latest && oldest && latest.at > oldest.at ? ((finished(latest) - finished(oldest)) * 1000) / (latest.at - oldest.at) : 0;
    const streamState = stream.failure ?? (stream.done ? `all ${timings.maxOrders} placed` : `placing ${stream.ordersPerSecond}/s`);
    return {
      elapsedMs: Date.now() - startedAt,
      heading: act.heading,
      narration: act.narration,
      snapshot: latest,
      throughput,
      spotlight: spotlight.lines,
      shown: act.watch !== undefined && spotlight.shown,
      stream: `placed ${stream.placed.length}${stream.refused ? `, refused ${stream.refused}` : ''} (${streamState})`,
      links,
      hint: mode === 'ci' ? 'CI mode: unattended, fixed timings' : 'Enter: next scene · Ctrl-C: stop',
      problem,
    };
  };

  const ticker = repeat(refresh, timings.refreshMs);
  const results: SceneResult[] = [];
  try {
    stream.start();
    for (const [index, scene] of scenes.entries()) {
      const before = await observer.snapshot();
      const heading = `${index === 0 ? 'Prologue' : `Scene ${index} of ${scenes.length - 1}`} · ${scene.title}`;
      const result: SceneResult = { title: scene.title, kind: scene.kind, figures: {} };
      results.push(result);
      spotlight = { lines: [], shown: false, figures: {} };
      act = { heading, narration: scene.narration, result, actedAt: Date.now() };
      view.frame(frameOf());
      act.watch = await scene.play(stage, before);
      if (mode === 'interactive') await next!();
      else await holdInCi(act, scene, timings);
      view.note(`${scene.title}: ${describeResult(result)}`);
    }

    await stream.stop();
    const drain: SceneResult = { title: 'Drain', kind: 'recover', figures: {} };
    spotlight = { lines: [], shown: false, figures: {} };
    act = {
      heading: 'Drain',
      narration: `The stream has stopped at ${stream.placed.length} orders. Waiting for the last ones to finish.`,
      result: drain,
      actedAt: Date.now(),
      watch: async (snapshot) => {
        const finished = snapshot.completed + snapshot.compensated;
        return {
          lines: [`${finished} of ${stream.placed.length} orders finished.`],
          shown: snapshot.running.size === 0 && finished >= stream.placed.length,
          figures: {},
        };
      },
    };
    await until(() => drain.shownAfterMs !== undefined, timings.drainTimeoutMs);
    view.note(`drain: ${describeResult(drain)}`);

    view.note(`auditing ${stream.placed.length} orders`);
    const audit = await target.audit(stream.placed);
    return {
      runId,
      scenes: results,
      placed: stream.placed.length,
      refused: stream.refused,
      streamFailure: stream.failure,
      drainedAfterMs: drain.shownAfterMs,
      audit,
      durationMs: Date.now() - startedAt,
    };
  } finally {
    await stream.stop();
    await ticker.stop();
  }
}

/** The report's figures as lines: each scene with the time it took, then the audit. */
export function reportLines(report: DemoReport, auditLines: string[]): string[] {
  const width = Math.max(...report.scenes.map((scene) => scene.title.length));
  return [
    `Run ${report.runId}: ${report.placed} orders placed${report.refused ? `, ${report.refused} refused` : ''} in ${(report.durationMs / 1000).toFixed(0)}s`,
    ...(report.streamFailure ? [`  the order stream stopped early: ${report.streamFailure}`] : []),
    ...report.scenes.map((scene) => `  ${scene.title.padEnd(width)}  ${describeResult(scene)}`),
    `  ${'Drain'.padEnd(width)}  ${report.drainedAfterMs === undefined ? 'not finished in time' : `${(report.drainedAfterMs / 1000).toFixed(1)}s`}`,
    ...auditLines,
  ];
}

function describeResult(result: SceneResult): string {
  const figures = Object.entries(result.figures)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
  const time =
    result.shownAfterMs === undefined
      ? 'not shown (moved on)'
      : result.kind === 'recover'
        ? `recovered in ${(result.shownAfterMs / 1000).toFixed(1)}s`
        : `visible after ${(result.shownAfterMs / 1000).toFixed(1)}s`;
  return figures ? `${time} (${figures})` : time;
}

function record(act: Act, spotlight: Spotlight): void {
  if (spotlight.shown) act.result.shownAfterMs ??= Date.now() - act.actedAt;
  for (const [name, value] of Object.entries(spotlight.figures)) act.result.figures[name] = Math.max(act.result.figures[name] ?? 0, value);
}

/** CI: waits for the scene's point, then holds it until `holdMs` after the action, or a recovery for `settleMs`. */
async function holdInCi(act: Act, scene: Scene, timings: DemoTimings): Promise<void> {
  await until(() => act.result.shownAfterMs !== undefined, timings.sceneTimeoutMs);
  const heldMs = Date.now() - act.actedAt;
  await sleep(scene.kind === 'hold' ? Math.max(0, timings.holdMs - heldMs) : timings.settleMs);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(200);
}

/** Runs `task` every `intervalMs`, one run at a time, until stopped. */
function repeat(task: () => Promise<void>, intervalMs: number): { stop(): Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      await task();
      await sleep(Math.max(0, intervalMs - (Date.now() - started)));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
