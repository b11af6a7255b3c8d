import type { OrderStatus } from '../../workflows/types';
import { SERVICES } from '../../workflows/task-queues';
import type { Snapshot } from './observer';

// The presenter's screen. On a terminal it is redrawn in place every refresh; in CI (or when
// the output is a file) it is plain lines: notes as they happen, a status line now and then,
// and each scene's spotlight once its point is shown.

export interface Frame {
  elapsedMs: number;
  /** "Scene 3 of 6 · Pod down", "Starting", "Drain". */
  heading: string;
  narration: string;
  snapshot?: Snapshot;
  /** Orders finished per second, over the last few seconds. */
  throughput: number;
  spotlight: string[];
  /** Whether the current scene has made its point. */
  shown: boolean;
  stream: string;
  links: { target: string; namespace: string; ui: string; api: string; orders: string };
  hint: string;
  /** The last refresh failed (e.g. Temporal did not answer); the view keeps the last good state. */
  problem?: string;
}

export interface View {
  /** Something that happened: an action on the cluster, a scene's result. */
  note(line: string): void;
  frame(frame: Frame): void;
  /** Ends the live display; `lines` are printed below it. */
  close(lines: string[]): void;
}

/** The statuses of an order in flight, with the short name the view gives each. */
const IN_FLIGHT: [OrderStatus, string][] = [
  ['received', 'received'],
  ['awaiting_approval', 'approval'],
  ['reserving_stock', 'stock'],
  ['charging_payment', 'payment'],
  ['shipping', 'shipping'],
  ['confirming', 'confirming'],
  ['compensating', 'compensating'],
];

const clock = (ms: number): string => `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
const age = (ms: number | undefined): string => (ms === undefined ? '-' : `${Math.round(ms / 1000)}s`);

/** Running orders per stage, by the stage's short name. */
export function stageCounts(snapshot: Snapshot): Map<string, number> {
  const counts = new Map<string, number>(IN_FLIGHT.map(([, name]) => [name, 0]));
  for (const status of snapshot.running.values()) {
    const name = IN_FLIGHT.find(([candidate]) => candidate === status)?.[1] ?? status;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** The live view for a terminal: the whole screen, redrawn in place. */
export class TerminalView implements View {
  private readonly notes: string[] = [];
  private started = false;

  constructor(private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {}

  note(line: string): void {
    this.notes.push(`${new Date().toTimeString().slice(0, 8)}  ${line}`);
    this.notes.splice(0, Math.max(0, this.notes.length - 6));
  }

  frame(frame: Frame): void {
    if (!this.started) this.write('\x1b[2J\x1b[?25l');
    this.started = true;
    // Home, each line cleared to its end, then everything below cleared: no flicker, no scrolling.
    this.write(
      `\x1b[H${this.lines(frame)
        .map((line) => `${line}\x1b[K`)
        .join('\n')}\n\x1b[J`,
    );
  }

  close(lines: string[]): void {
    this.write(`\x1b[?25h\n${lines.join('\n')}\n`);
  }

  private lines(frame: Frame): string[] {
    const bold = (text: string) => `\x1b[1m${text}\x1b[0m`;
    const red = (text: string) => `\x1b[31m${text}\x1b[0m`;
    const green = (text: string) => `\x1b[32m${text}\x1b[0m`;
    const dim = (text: string) => `\x1b[2m${text}\x1b[0m`;
    const { snapshot, links } = frame;
    const lines = [
      `${bold('Temporal order processing · live demo')}   ${dim(`${links.target} · namespace ${links.namespace} · ${clock(frame.elapsedMs)}`)}`,
      '',
      `${bold(frame.heading)}${frame.shown ? green('  ✓') : ''}`,
      `  ${frame.narration}`,
      '',
    ];
    if (snapshot) {
      const counts = stageCounts(snapshot);
      lines.push(
        `${bold('Orders')}  ${frame.stream} · finished ${frame.throughput.toFixed(1)}/s`,
        `  in flight   ${[...counts].map(([name, count]) => `${name} ${count}`).join(' · ')}`,
        `  ${green(`completed ${snapshot.completed}`)}   compensated ${snapshot.compensated}`,
        '',
        bold(`${'Task queue'.padEnd(12)}${'pods'.padEnd(12)}${'pollers'.padEnd(9)}${'last poll'.padEnd(11)}${'backlog'.padEnd(9)}oldest`),
      );
      for (const service of SERVICES) {
        const queue = snapshot.queues[service];
        const pods = snapshot.pods[service];
        const podText = `${pods.ready}${pods.bugged ? ' bugged' : ''}`.padEnd(12);
        const stalled = queue.backlog > 0 && queue.pollers === 0;
        lines.push(
          `${service.padEnd(12)}${pods.bugged || pods.ready === 0 ? red(podText) : podText}${String(queue.pollers).padEnd(9)}${age(queue.lastPollMs).padEnd(11)}` +
            `${(stalled ? red : (text: string) => text)(String(queue.backlog).padEnd(9))}${queue.backlog > 0 ? age(queue.oldestMs) : '-'}`,
        );
      }
      lines.push(dim('pollers: workers Temporal saw polling within the last minute, so a replaced pod lingers there for up to a minute'));
    }
    lines.push('', bold('Spotlight'), ...frame.spotlight.map((line) => `  ${line}`));
    lines.push(
      '',
      `${bold('Web UI')}  ${links.orders}`,
      `${bold('API')}     ${links.api}`,
      '',
      bold('Log'),
      ...this.notes.map((note) => dim(`  ${note}`)),
    );
    if (frame.problem) lines.push('', red(`Refresh failed, showing the last good state: ${frame.problem}`));
    lines.push('', bold(frame.hint));
    return lines;
  }
}

/** The view for CI and logs: plain lines, one status line every `statusEveryMs`. */
export class PlainView implements View {
  private lastStatusAt = -Infinity;
  private lastHeading = '';
  private spotlightShownFor = '';
  private readonly startedAt = Date.now();

  constructor(
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
    private readonly statusEveryMs = 3000,
  ) {}

  note(line: string): void {
    this.print(line);
  }

  frame(frame: Frame): void {
    if (frame.heading !== this.lastHeading) {
      this.lastHeading = frame.heading;
      this.write(`\n== ${frame.heading}\n   ${frame.narration}\n`);
    }
    if (frame.shown && this.spotlightShownFor !== frame.heading) {
      this.spotlightShownFor = frame.heading;
      for (const line of frame.spotlight) this.print(`  ${line}`);
    }
    if (frame.problem) this.print(`refresh failed: ${frame.problem}`);
    if (!frame.snapshot || frame.elapsedMs - this.lastStatusAt < this.statusEveryMs) return;
    this.lastStatusAt = frame.elapsedMs;
    const { snapshot } = frame;
    const inFlight = [...stageCounts(snapshot)].filter(([, count]) => count > 0).map(([status, count]) => `${status} ${count}`);
    const queues = SERVICES.map((service) => ({ service, queue: snapshot.queues[service], pods: snapshot.pods[service] }))
      .filter(({ queue, pods }) => queue.backlog > 0 || pods.ready === 0 || pods.bugged)
      .map(
        ({ service, queue, pods }) =>
          `${service}: ${pods.ready} pods${pods.bugged ? ' (bugged)' : ''}, ${queue.pollers} pollers, backlog ${queue.backlog}`,
      );
    this.print(
      `${frame.stream}; completed ${snapshot.completed}, compensated ${snapshot.compensated}, in flight ${inFlight.join(', ') || 'none'}; ` +
        `${frame.throughput.toFixed(1)}/s | ${queues.join(' | ') || 'every queue served'}`,
    );
  }

  close(lines: string[]): void {
    this.write(`\n${lines.join('\n')}\n`);
  }

  private print(line: string): void {
    this.write(`[${((Date.now() - this.startedAt) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
  }
}
