import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { OrderStatusKey } from '../../workflows/search-attributes';
import { SERVICES, TaskQueues, type ServiceName } from '../../workflows/task-queues';
import type { OrderStatus } from '../../workflows/types';
import type { Cluster, PodStatus } from './cluster';

// What the live view shows, read from Temporal itself: this run's orders per stage (Visibility,
// on the OrderStatus search attribute) and each task queue's backlog and pollers
// (DescribeTaskQueue with reportStats), next to the pods the driver runs.

const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;

/** The kinds of task each service's worker takes from its queue (services/<name>/worker.ts). */
const TASK_TYPES: Record<ServiceName, temporal.api.enums.v1.TaskQueueType[]> = {
  orders: [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
  payment: [TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
  inventory: [TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
  shipping: [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
  email: [TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
  fraud: [TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
};

// The server holds an idle poll open for up to a minute before the worker polls again, so a
// poller last seen within this window may still be waiting for work.
const LONG_POLL_MS = 70_000;

export interface QueueState {
  /** Tasks waiting for a worker, and how long the oldest has waited. */
  backlog: number;
  oldestMs: number;
  /** Pollers still polling: seen within the long-poll window, and not only before the oldest waiting task arrived. */
  pollers: number;
  /** Since any poller last polled; undefined if Temporal has seen none. */
  lastPollMs?: number;
}

export interface Snapshot {
  at: number;
  /** This run's running orders, by workflow id, with their OrderStatus. */
  running: Map<string, OrderStatus>;
  completed: number;
  compensated: number;
  queues: Record<ServiceName, QueueState>;
  pods: Record<ServiceName, PodStatus>;
}

/** Reads the state of one demo run: its orders (by customer id), the task queues and the pods. */
export class Observer {
  /** The Visibility filter of this run's orders. */
  readonly ofRun: string;

  constructor(
    readonly client: Client,
    readonly namespace: string,
    customerId: string,
    private readonly cluster: Cluster,
  ) {
    this.ofRun = `WorkflowType = "OrderWorkflow" AND CustomerId = "${customerId}"`;
  }

  async snapshot(): Promise<Snapshot> {
    const [running, completed, compensated, queues, pods] = await Promise.all([
      this.runningOrders(),
      this.count('ExecutionStatus = "Completed" AND OrderStatus = "completed"'),
      this.count('ExecutionStatus = "Completed" AND OrderStatus IN ("failed", "cancelled", "rejected")'),
      Promise.all(SERVICES.map((service) => this.queue(service))),
      this.cluster.pods(),
    ]);
    return {
      at: Date.now(),
      running,
      completed,
      compensated,
      queues: Object.fromEntries(SERVICES.map((s, i) => [s, queues[i]])) as Snapshot['queues'],
      pods,
    };
  }

  /** A service's task queue: backlog and pollers over the kinds of task its worker takes. */
  async queue(service: ServiceName): Promise<QueueState> {
    const now = Date.now();
    const described = await Promise.all(
      TASK_TYPES[service].map((taskQueueType) =>
        this.client.workflowService.describeTaskQueue({
          namespace: this.namespace,
          taskQueue: { name: TaskQueues[service], kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType,
          reportStats: true,
        }),
      ),
    );
    const polling = new Set<string>();
    let backlog = 0;
    let oldestMs = 0;
    let lastPollMs: number | undefined;
    for (const { stats, pollers } of described) {
      const waiting = Number(stats?.approximateBacklogCount ?? 0);
      const oldest = optionalTsToMs(stats?.approximateBacklogAge) ?? 0;
      backlog += waiting;
      oldestMs = Math.max(oldestMs, oldest);
      for (const poller of pollers) {
        const sinceMs = now - (optionalTsToMs(poller.lastAccessTime) ?? 0);
        lastPollMs = Math.min(lastPollMs ?? Infinity, sinceMs);
        // A poller that polled before the oldest waiting task arrived, and not since, is not there.
        if (sinceMs < LONG_POLL_MS && (waiting === 0 || sinceMs <= oldest)) polling.add(poller.identity ?? '');
      }
    }
    return { backlog, oldestMs, pollers: polling.size, lastPollMs };
  }

  /** The workflow ids of this run's orders started at or after `since`, running or ended: an order can end between two snapshots. */
  async ordersStartedSince(since: Date): Promise<string[]> {
    const ids: string[] = [];
    for await (const execution of this.client.workflow.list({ query: `${this.ofRun} AND StartTime >= "${since.toISOString()}"` }))
      ids.push(execution.workflowId);
    return ids;
  }

  private async runningOrders(): Promise<Map<string, OrderStatus>> {
    const running = new Map<string, OrderStatus>();
    for await (const execution of this.client.workflow.list({ query: `${this.ofRun} AND ExecutionStatus = "Running"` })) {
      running.set(execution.workflowId, (execution.typedSearchAttributes.get(OrderStatusKey) ?? 'received') as OrderStatus);
    }
    return running;
  }

  private async count(query: string): Promise<number> {
    return (await this.client.workflow.count(`${this.ofRun} AND ${query}`)).count;
  }
}

/** The Web UI page of a workflow. */
export const workflowLink = (uiUrl: string, namespace: string, workflowId: string): string =>
  `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;

/** The Web UI's workflow list, filtered by a Visibility query. */
export const workflowListLink = (uiUrl: string, namespace: string, query: string): string =>
  `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
