import { setTimeout as sleep } from 'node:timers/promises';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { readableFailure } from '../../services/common/encryption-readable-failures';
import { orderWorkflowId, shipmentWorkflowId } from '../../workflows/ids';
import { TaskQueues, type ServiceName } from '../../workflows/task-queues';
import type { OrderStatus } from '../../workflows/types';
import type { Cluster, OwnedTemporalServer } from './cluster';
import { workflowLink, type Observer, type Snapshot } from './observer';
import type { OrderStream } from './order-stream';
import { surge, type SurgeSettings } from './surge-scene';
import { versionRollbackScenes } from './version-rollback';

// The live demo, scene by scene. A scene changes the cluster, then watches Temporal until its
// point can be seen: a failure retried with backoff, a backlog with nobody polling, or every
// waiting order finished. The same scenes run on every driver.

export interface Stage {
  cluster: Cluster;
  /** The Temporal server, if the demo started it (see DemoTarget). */
  temporalServer?: OwnedTemporalServer;
  observer: Observer;
  uiUrl: string;
  /** The order stream, whose rate a scene may change. */
  orders: Pick<OrderStream, 'ordersPerSecond' | 'setRate'>;
  /** Adds a line to the log of actions. */
  note(line: string): void;
}

/** What a scene shows right now. */
export interface Spotlight {
  lines: string[];
  /** The scene's point is visible: the failure is seen, or every waiting order has finished. */
  shown: boolean;
  /** Figures for the report; the demo keeps the largest value seen of each. */
  figures: Record<string, number>;
}

export type Watch = (snapshot: Snapshot) => Promise<Spotlight>;

export interface Scene {
  title: string;
  narration: string;
  /** A 'hold' scene holds its state for the audience (in CI, a fixed time); a 'recover' scene ends once recovered. */
  kind: 'hold' | 'recover';
  /** Acts on the cluster, then returns what to watch. `snapshot` is the state just before acting. */
  play(stage: Stage, snapshot: Snapshot): Promise<Watch>;
}

/** The demo's scenes; `down` is the service whose pods the "pod down" scene takes away. */
export function demoScenes(down: ServiceName, surgeSettings?: SurgeSettings): Scene[] {
  let podsBefore = 1;
  return [
    {
      title: 'Orders flowing',
      narration: 'Every pod is up. Orders come in through the API and go through inventory, payment, shipping and email.',
      kind: 'hold',
      play: async (stage) => async (snapshot) => ({
        lines: [
          `${snapshot.completed + snapshot.compensated} orders finished so far; open any of them in the Web UI to see its steps.`,
          ...oldestOrderLink(stage, snapshot),
        ],
        shown: snapshot.completed >= 3,
        figures: {},
      }),
    },
    {
      title: 'Bugged pod',
      narration:
        'The shipping pod now runs a build that crashes while printing the label. Temporal retries each booking with backoff; inventory and payment carry on, and orders wait at shipping.',
      kind: 'hold',
      play: async (stage) => {
        await stage.cluster.setShippingBugged(true);
        return stuckBookings(stage);
      },
    },
    {
      title: 'Fixed pod',
      narration:
        'The bugged pod is replaced by the fixed build. The next retry of each waiting booking succeeds: the stuck orders complete, each charged once and emailed once.',
      kind: 'recover',
      play: async (stage, snapshot) => {
        const waiting = ordersAt(snapshot, 'shipping');
        await stage.cluster.setShippingBugged(false);
        return recovery(waiting, 'that waited at shipping');
      },
    },
    {
      title: 'Pod down',
      narration: `Every ${down} pod is gone. Orders wait for it; their tasks stay in the "${TaskQueues[down]}" task queue, and nothing is lost.`,
      kind: 'hold',
      play: async (stage) => {
        podsBefore = Math.max(1, (await stage.cluster.pods())[down].ready);
        await stage.cluster.scale(down, 0);
        return queueWithoutPollers(stage, down);
      },
    },
    {
      title: 'All up',
      narration: `The ${down} pods are back. They take the backlog where it was, and every waiting order completes.`,
      kind: 'recover',
      play: async (stage, snapshot) => {
        const waiting = new Set(snapshot.running.keys());
        await stage.cluster.scale(down, podsBefore);
        const finished = recovery(waiting, 'in flight while it was down');
        return async (now) => {
          const spotlight = await finished(now);
          const { backlog } = now.queues[down];
          return {
            ...spotlight,
            shown: spotlight.shown && backlog === 0,
            lines: [...spotlight.lines, `"${TaskQueues[down]}" backlog: ${backlog}`],
          };
        };
      },
    },
    surge(surgeSettings),
    temporalServerDown(),
    {
      title: 'Bug in the workflow code',
      narration:
        'The orders pod now runs workflow code with a bug after the payment. Every order that reaches it, or replays through it, fails its workflow task; Temporal retries the task, and the order waits where it is.',
      kind: 'hold',
      play: async (stage) => {
        await stage.cluster.setWorkflowCodeBugged(true);
        return stuckWorkflowTasks(stage);
      },
    },
    {
      title: 'Fixed workflow code',
      narration: 'The fixed workflow code is deployed. Each stuck order resumes from where it stopped: it ships, and is not charged again.',
      kind: 'recover',
      play: async (stage, snapshot) => {
        const waiting = new Set(snapshot.running.keys());
        await stage.cluster.setWorkflowCodeBugged(false);
        return recovery(waiting, 'in flight during the bug');
      },
    },
    ...versionRollbackScenes(),
  ];
}

/** How long the Temporal server stays down before it is started again. */
const SERVER_DOWN_MS = 3_000;

/** The server itself crashes while orders flow, and comes back on the same file: every order resumes where it was. */
export function temporalServerDown(): Scene {
  return {
    title: 'Temporal server down',
    narration:
      "The Temporal server itself is killed (SIGKILL) while orders flow, then started again on the same data file. Workers and the API reconnect; every order resumes where it was, because its state is in the server's database, not in any process.",
    kind: 'recover',
    play: async (stage, snapshot) => {
      const server = stage.temporalServer;
      if (!server) {
        const lines = ['Skipped: the demo attached to a Temporal server it did not start, so it does not take that server down.'];
        return async () => ({ lines, shown: true, figures: {} });
      }
      const waiting = new Set(snapshot.running.keys());
      const killedAt = Date.now();
      await server.crash();
      await sleep(SERVER_DOWN_MS);
      await server.restart();
      const restartedAt = Date.now();
      const downMs = restartedAt - killedAt;
      let finishedAtRestart: number | undefined;
      let flowingAgainAfterMs: number | undefined;
      const finishedOrders = recovery(waiting, 'in flight when the server went down');
      return async (now) => {
        const finished = now.completed + now.compensated;
        finishedAtRestart ??= finished;
        if (flowingAgainAfterMs === undefined && finished > finishedAtRestart) flowingAgainAfterMs = Date.now() - restartedAt;
        const spotlight = await finishedOrders(now);
        return {
          lines: [
            `Temporal was down ${seconds(downMs)}, killed and started again on the same file.`,
            flowingAgainAfterMs === undefined
              ? 'Waiting for the first order to finish since the restart…'
              : `Orders flowed again ${(flowingAgainAfterMs / 1000).toFixed(1)}s after the restart.`,
            ...spotlight.lines,
          ],
          shown: spotlight.shown && flowingAgainAfterMs !== undefined,
          figures: { ...spotlight.figures, serverDownMs: downMs, ...(flowingAgainAfterMs !== undefined && { flowingAgainAfterMs }) },
        };
      };
    },
  };
}

const orderIdOf = (workflowId: string): string => workflowId.slice(orderWorkflowId('').length);

const ordersAt = (snapshot: Snapshot, status: OrderStatus): Set<string> =>
  new Set([...snapshot.running].filter(([, current]) => current === status).map(([workflowId]) => workflowId));

const seconds = (ms: number): string => `${Math.max(0, Math.round(ms / 1000))}s`;

function oldestOrderLink(stage: Stage, snapshot: Snapshot): string[] {
  const [workflowId] = [...snapshot.running.keys()].slice(-1);
  return workflowId ? [`an order in flight: ${workflowLink(stage.uiUrl, stage.observer.namespace, workflowId)}`] : [];
}

/** Scene 1: orders waiting at shipping, and one booking's attempts and last failure. */
function stuckBookings(stage: Stage): Watch {
  return async (snapshot): Promise<Spotlight> => {
    const waiting = [...ordersAt(snapshot, 'shipping')];
    // The order that has waited longest is last in the list (Visibility lists the newest first).
    for (const workflowId of waiting.reverse()) {
      const shipmentId = shipmentWorkflowId(orderIdOf(workflowId));
      const { raw } = await stage.observer.client.workflow.getHandle(shipmentId).describe();
      const booking = raw.pendingActivities?.find((activity) => activity.activityType?.name === 'bookShipment');
      const attempt = booking?.attempt ?? 0;
      if (!booking || attempt < 2) continue;
      const failure = booking.lastFailure;
      const nextInMs = (optionalTsToMs(booking.nextAttemptScheduleTime) ?? Date.now()) - Date.now();
      return {
        lines: [
          `${waiting.length} orders wait at shipping.`,
          `Order ${orderIdOf(workflowId)}: bookShipment attempt ${attempt}, next try in ${seconds(nextInMs)}`,
          `  last failure: ${failure?.applicationFailureInfo?.type ?? 'Error'}: ${failure?.message ?? '?'}`,
          `  the order:    ${workflowLink(stage.uiUrl, stage.observer.namespace, workflowId)}`,
          `  its shipment: ${workflowLink(stage.uiUrl, stage.observer.namespace, shipmentId)}  (Pending Activities: attempts, last failure)`,
        ],
        shown: attempt >= 3,
        figures: { waitingAtShipping: waiting.length, bookingAttempt: attempt },
      };
    }
    return {
      lines: [`${waiting.length} orders at shipping; waiting for a booking to fail twice…`],
      shown: false,
      figures: { waitingAtShipping: waiting.length },
    };
  };
}

/** Scene 3: the service's task queue, its backlog and its (missing) pollers. */
function queueWithoutPollers(stage: Stage, service: ServiceName): Watch {
  return async (snapshot) => {
    const queue = snapshot.queues[service];
    const lastPoll = queue.lastPollMs === undefined ? 'never' : `${seconds(queue.lastPollMs)} ago`;
    return {
      lines: [
        `"${TaskQueues[service]}" task queue: ${queue.backlog} tasks waiting, the oldest for ${seconds(queue.oldestMs)}.`,
        `Pollers: ${queue.pollers} (last poll ${lastPoll}). ${snapshot.running.size} orders in flight, each one's state kept by Temporal.`,
        ...oldestOrderLink(stage, snapshot),
      ],
      shown: queue.backlog > 0 && queue.pollers === 0,
      figures: { backlog: queue.backlog, ordersInFlight: snapshot.running.size },
    };
  };
}

/** Scene 5: orders whose workflow task fails, and one of them with its attempts and error. */
function stuckWorkflowTasks(stage: Stage): Watch {
  let failure: string | undefined;
  return async (snapshot): Promise<Spotlight> => {
    // New orders stop after the payment; orders further on stop too, as the new pod replays their history through the bug.
    const candidates = [...snapshot.running.keys()].reverse();
    const described = await Promise.all(
      candidates.map(async (workflowId) => ({
        workflowId,
        attempt: (await stage.observer.client.workflow.getHandle(workflowId).describe()).raw.pendingWorkflowTask?.attempt ?? 0,
      })),
    );
    const stuck = described.filter(({ attempt }) => attempt >= 2);
    if (stuck.length === 0) return { lines: ['Waiting for an order to reach the bug…'], shown: false, figures: {} };
    const [first] = stuck;
    failure ??= await workflowTaskFailure(stage, first.workflowId);
    return {
      lines: [
        `${stuck.length} orders stopped; their workflow task fails and is retried.`,
        `Order ${orderIdOf(first.workflowId)}: workflow task attempt ${first.attempt}`,
        `  failure: ${failure}`,
        `  the order: ${workflowLink(stage.uiUrl, stage.observer.namespace, first.workflowId)}  (Pending Workflow Task, and WorkflowTaskFailed in the history)`,
      ],
      shown: true,
      figures: { stuckWorkflowTasks: stuck.length, workflowTaskAttempt: Math.max(...stuck.map(({ attempt }) => attempt)) },
    };
  };
}

async function workflowTaskFailure(stage: Stage, workflowId: string): Promise<string> {
  const history = await stage.observer.client.workflow.getHandle(workflowId).fetchHistory();
  const failed = history.events
    ?.filter((event) => event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
    .pop();
  const encoded = failed?.workflowTaskFailedEventAttributes?.failure;
  if (!encoded) return 'not in the history yet';
  // The history holds the failure as the failure converter encoded it; read it back as people see it.
  const failure = await readableFailure(stage.observer.client.options.loadedDataConverter, encoded);
  // A workflow task failure carries the error's class only in its stack trace ("TypeError: …").
  const errorClass = /^(\w+): /m.exec(failure.stackTrace ?? '')?.[1] ?? 'Error';
  return `${errorClass}: ${failure.message}`;
}

/** Scenes 2, 4 and 6: how many of the orders that were waiting have finished. */
function recovery(waiting: Set<string>, which: string): Watch {
  return async (snapshot) => {
    const remaining = [...waiting].filter((workflowId) => snapshot.running.has(workflowId)).length;
    return {
      lines: [`${waiting.size - remaining} of the ${waiting.size} orders ${which} have finished.`],
      shown: remaining === 0,
      figures: { waitingOrders: waiting.size },
    };
  };
}
