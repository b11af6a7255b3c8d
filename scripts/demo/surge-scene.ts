import { setTimeout as sleep } from 'node:timers/promises';
import { TaskQueues } from '../../workflows/task-queues';
import { ordersPerSecondOfOnePod, type PaymentLimits } from './payment-limits';
import type { Scene, Stage } from './scenes';

// Black Friday in one scene: orders arrive faster than one payment pod can pay for them, the
// payment queue's backlog grows, the demo scales payment out, and the backlog drains. Throughput
// is the orders that got past payment per second, measured with one pod while the backlog grows
// and with several while it drains: tasks wait in both windows, so neither figure is held down
// by the rate orders arrive at.

export interface SurgeSettings {
  /** Each payment pod's limits during the scene; the usual pods come back at its end. */
  limits: PaymentLimits;
  /** The order rate of the surge: above one pod's capacity, below that of all of them. */
  ordersPerSecond: number;
  /** How many payment pods meet the surge. */
  pods: number;
  /** How long one pod faces the surge, measured, before the demo scales out. */
  onePodMs: number;
  /** The longest the scene waits for the backlog to drain; then it restores the usual state anyway. */
  drainTimeoutMs: number;
}

/** One pod pays for about 1.7 orders/s; the surge brings 3/s; 3 pods pay for about 5/s. */
export const DEFAULT_SURGE: SurgeSettings = {
  limits: { gatewayLatencyMs: 600, maxConcurrentActivities: 2 },
  ordersPerSecond: 3,
  pods: 3,
  onePodMs: 15_000,
  drainTimeoutMs: 90_000,
};

const SAMPLE_MS = 1_000;

interface Sample {
  at: number;
  /** This run's orders past payment: ended, or running at shipping, confirming or compensating. */
  paid: number;
  backlog: number;
  oldestMs: number;
}

interface Rate {
  ordersPerSecond: number;
  overMs: number;
}

/** What the scene's script has done and measured so far; the watch shows it. */
interface Progress {
  step: string;
  latest?: Sample;
  onePod?: Rate;
  scaledOut?: Rate;
  drainedAfterMs?: number;
  failure?: string;
  done: boolean;
}

/** The surge scene: one payment pod overwhelmed, then `pods` of them draining the backlog. */
export function surge(settings: SurgeSettings = DEFAULT_SURGE): Scene {
  const { limits, pods } = settings;
  const queue = TaskQueues.payment;
  return {
    title: 'Surge',
    narration: `Black Friday: orders arrive at ${settings.ordersPerSecond}/s. A payment pod calls a card gateway that takes ${limits.gatewayLatencyMs} ms and handles ${limits.maxConcurrentActivities} payments at a time, so it pays for about ${round(ordersPerSecondOfOnePod(limits))} orders/s: the "${queue}" backlog grows. Then payment scales out to ${pods} pods, and the backlog drains.`,
    kind: 'recover',
    play: async (stage) => {
      const progress: Progress = { step: 'starting', done: false };
      void runSurge(stage, settings, progress);
      return async () => {
        const { latest, onePod, scaledOut, drainedAfterMs, failure } = progress;
        const rateLine = (label: string, rate: Rate | undefined, when: string) =>
          rate ? [`${label}: ${round(rate.ordersPerSecond)} orders/s past payment (over ${seconds(rate.overMs)}, ${when})`] : [];
        const lines = [
          `Now: ${progress.step}.`,
          ...(latest ? [`"${queue}" backlog: ${latest.backlog} tasks, the oldest waiting ${seconds(latest.oldestMs)}.`] : []),
          ...rateLine('1 pod', onePod, 'while the backlog grew'),
          ...rateLine(`${pods} pods`, scaledOut, 'while the backlog drained'),
          ...(onePod && scaledOut
            ? [`Scaling out multiplied payment's throughput by ${round(scaledOut.ordersPerSecond / onePod.ordersPerSecond)}.`]
            : []),
          ...(drainedAfterMs !== undefined ? [`The backlog reached zero ${seconds(drainedAfterMs)} after scaling out.`] : []),
          ...(failure ? [`The surge stopped early: ${failure}`] : []),
        ];
        return {
          lines,
          shown: progress.done && drainedAfterMs !== undefined,
          figures: {
            ...(latest && { backlog: latest.backlog, oldestTaskMs: latest.oldestMs }),
            ...(onePod && { ordersPerSecond1Pod: round(onePod.ordersPerSecond) }),
            ...(scaledOut && { [`ordersPerSecond${pods}Pods`]: round(scaledOut.ordersPerSecond) }),
            ...(onePod && scaledOut && { speedup: round(scaledOut.ordersPerSecond / onePod.ordersPerSecond) }),
            ...(drainedAfterMs !== undefined && { backlogZeroAfterMs: drainedAfterMs }),
          },
        };
      };
    },
  };
}

/** The scene's script: limit the pods, raise the rate, measure, scale out, measure, then put everything back. */
async function runSurge(stage: Stage, settings: SurgeSettings, progress: Progress): Promise<void> {
  const usualRate = stage.orders.ordersPerSecond;
  const sampleUntil = async (reached: (sample: Sample) => boolean, timeoutMs: number, waitingFor: string): Promise<Sample> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await sleep(SAMPLE_MS);
      const sample = (progress.latest = await sampleOf(stage));
      if (reached(sample)) return sample;
      if (Date.now() > deadline) throw new Error(`${waitingFor} did not happen within ${seconds(timeoutMs)}`);
    }
  };
  try {
    progress.step = 'payment pods restart with the limits of the scene';
    await stage.cluster.setPaymentLimits(settings.limits);
    stage.orders.setRate(settings.ordersPerSecond);
    stage.note(`order rate raised to ${settings.ordersPerSecond}/s`);
    progress.step = `1 payment pod, ${settings.ordersPerSecond} orders/s arriving`;
    const backlogged = await sampleUntil((sample) => sample.backlog > 0, 60_000, 'a payment backlog');
    const onePodEnd = await sampleUntil((sample) => sample.at - backlogged.at >= settings.onePodMs, Infinity, '');
    progress.onePod = rateBetween(backlogged, onePodEnd);

    progress.step = `scaling payment out to ${settings.pods} pods`;
    await stage.cluster.scale('payment', settings.pods);
    const scaledAt = Date.now();
    progress.step = `${settings.pods} payment pods draining the backlog`;
    const first = await sampleUntil(() => true, Infinity, '');
    let last = first;
    await sampleUntil(
      (sample) => {
        if (sample.backlog === 0) return true;
        last = sample;
        return false;
      },
      settings.drainTimeoutMs,
      'the backlog draining',
    );
    progress.drainedAfterMs = Date.now() - scaledAt;
    stage.note(
      `"${TaskQueues.payment}" backlog reached zero ${seconds(progress.drainedAfterMs)} after scaling out to ${settings.pods} pods`,
    );
    if (last.at > first.at) progress.scaledOut = rateBetween(first, last);
  } catch (err) {
    progress.failure = err instanceof Error ? err.message : String(err);
  } finally {
    progress.step = `back to ${usualRate} orders/s and 1 usual payment pod`;
    stage.orders.setRate(usualRate);
    stage.note(`order rate back to ${usualRate}/s`);
    try {
      await stage.cluster.scale('payment', 1);
      await stage.cluster.setPaymentLimits(undefined);
      progress.step = 'back to normal';
    } catch (err) {
      progress.failure ??= `restoring the usual payment pod: ${err instanceof Error ? err.message : String(err)}`;
    }
    progress.done = true;
  }
}

async function sampleOf({ observer }: Stage): Promise<Sample> {
  const count = async (query: string) => (await observer.client.workflow.count(`${observer.ofRun} AND ${query}`)).count;
  const [ended, pastPayment, queue] = await Promise.all([
    count('ExecutionStatus = "Completed"'),
    count('ExecutionStatus = "Running" AND OrderStatus IN ("shipping", "confirming", "compensating")'),
    observer.queue('payment'),
  ]);
  return { at: Date.now(), paid: ended + pastPayment, backlog: queue.backlog, oldestMs: queue.oldestMs };
}

const rateBetween = (from: Sample, to: Sample): Rate => ({
  ordersPerSecond: ((to.paid - from.paid) * 1000) / (to.at - from.at),
  overMs: to.at - from.at,
});

const round = (value: number): number => Math.round(value * 100) / 100;

const seconds = (ms: number): string => `${Math.max(0, Math.round(ms / 1000))}s`;
