import path from 'node:path';
import { newEncryptionKeySpec } from '../../services/common/encryption-keys';
import { orderWorkflowId } from '../../workflows/ids';
import type { ServiceName } from '../../workflows/task-queues';
import { ServiceProcess } from '../lib/launcher';
import { BenchStack } from './lib/stack';
import { awaitClosed, placeOrder } from './lib/orders';
import { summary } from './lib/stats';

// The Python fraud worker, measured: how long it takes from spawn to /readyz 200 (beside a Node
// worker for comparison), and how long screenOrder takes inside real orders, from the server's
// ActivityTaskScheduled to its ActivityTaskCompleted (queueing, the Python worker, the codec, the store).
//
//   npm run build && node dist/scripts/bench/fraud-screening.js [orders] [starts]

const ORDERS = Number(process.argv[2] ?? 100);
const STARTS = Number(process.argv[3] ?? 5);

async function startTimes(stack: BenchStack, service: ServiceName): Promise<number[]> {
  const times: number[] = [];
  for (let run = 1; run <= STARTS; run += 1) {
    const worker = new ServiceProcess({
      service,
      name: `${service}-start-${run}`,
      env: { TEMPORAL_ADDRESS: stack.server.address, TEMPORAL_NAMESPACE: 'default', DATA_DIR: stack.dataDir, ENCRYPTION_KEYS: KEYS },
      output: { logFile: path.join(stack.dataDir, 'logs', `${service}-start-${run}.log`) },
      restart: 'never',
    });
    const startedAt = performance.now();
    await worker.start();
    times.push(performance.now() - startedAt);
    await worker.stop();
  }
  return times;
}

/** Each order's scheduled-to-completed time of the activities named, by activity type. */
async function activityLatencies(stack: BenchStack, types: string[]): Promise<Map<string, number[]>> {
  const placed = [];
  for (let index = 0; index < ORDERS; index += 1) placed.push(await placeOrder(stack.apiUrl, `fraud-bench-${index}`, index));
  const latencies = new Map(types.map((type) => [type, [] as number[]]));
  for (const { orderId } of placed) {
    const handle = stack.client.workflow.getHandle(orderWorkflowId(orderId));
    await awaitClosed(stack.client, handle.workflowId);
    const events = (await handle.fetchHistory()).events ?? [];
    for (const type of types) {
      const scheduled = events.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === type);
      const completed = events.find(
        (event) => Number(event.activityTaskCompletedEventAttributes?.scheduledEventId ?? -1) === Number(scheduled?.eventId),
      );
      const at = (event: typeof scheduled) => Number(event!.eventTime!.seconds) * 1000 + event!.eventTime!.nanos! / 1e6;
      if (scheduled && completed) latencies.get(type)!.push(at(completed) - at(scheduled));
    }
  }
  return latencies;
}

const KEYS = newEncryptionKeySpec('bench');

async function main(): Promise<void> {
  const stack = await BenchStack.start({ restart: 'never', env: { ENCRYPTION_KEYS: KEYS }, say: console.log });
  try {
    console.log(`fraud worker (Python), spawn to /readyz 200: ${summary(await startTimes(stack, 'fraud'))}`);
    console.log(`email worker (Node), spawn to /readyz 200:   ${summary(await startTimes(stack, 'email'))}`);
    // reserveStock (Node, one transaction on its SQLite store) is the like-for-like comparison.
    const latencies = await activityLatencies(stack, ['screenOrder', 'reserveStock']);
    for (const [type, values] of latencies) console.log(`${type}, scheduled to completed, in ${ORDERS} orders: ${summary(values)}`);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
