import { SERVICES } from '../../workflows/task-queues';
import { stageCounts, type Frame } from './live-view';

// What the projector dashboard shows: the terminal view's content as plain data, so the page
// (web/src/demo/dashboard.ts) only lays it out. Sent whole on every refresh over SSE.

export interface QueueRow {
  service: string;
  pods: number;
  bugged: boolean;
  pollers: number;
  lastPollMs?: number;
  backlog: number;
  oldestMs?: number;
  /** Work waits and nobody polls: the row the audience should look at. */
  stalled: boolean;
}

export interface DashboardState {
  elapsedMs: number;
  heading: string;
  narration: string;
  shown: boolean;
  orders?: {
    stream: string;
    throughput: number;
    inFlight: [stage: string, count: number][];
    completed: number;
    compensated: number;
  };
  queues: QueueRow[];
  spotlight: string[];
  log: string[];
  links: Frame['links'];
  /** The presenter's next step: "Enter or Next scene", or why there is none (CI mode, the end). */
  hint: string;
  /** Whether the demo is waiting for the presenter, so the "Next scene" button works now. */
  canAdvance: boolean;
  problem?: string;
  /** Once the demo is over: the report and the audit. */
  report?: string[];
}

/** The dashboard's state for one frame of the demo, with the latest log lines. */
export function dashboardState(frame: Frame, log: string[], canAdvance: boolean): DashboardState {
  const { snapshot } = frame;
  return {
    elapsedMs: frame.elapsedMs,
    heading: frame.heading,
    narration: frame.narration,
    shown: frame.shown,
    orders: snapshot && {
      stream: frame.stream,
      throughput: frame.throughput,
      inFlight: [...stageCounts(snapshot)],
      completed: snapshot.completed,
      compensated: snapshot.compensated,
    },
    queues: snapshot
      ? SERVICES.map((service) => {
          const queue = snapshot.queues[service];
          const pods = snapshot.pods[service];
          return {
            service,
            pods: pods.ready,
            bugged: pods.bugged,
            pollers: queue.pollers,
            lastPollMs: queue.lastPollMs,
            backlog: queue.backlog,
            oldestMs: queue.backlog > 0 ? queue.oldestMs : undefined,
            stalled: queue.backlog > 0 && queue.pollers === 0,
          };
        })
      : [],
    spotlight: frame.spotlight,
    log,
    links: frame.links,
    hint: frame.hint,
    canAdvance,
    problem: frame.problem,
  };
}
