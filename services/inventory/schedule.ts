import { ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { TaskQueues } from '../../workflows/task-queues';
import { connectTemporalClient } from '../common/temporal-connection';

export const RESTOCK_SCHEDULE_ID = 'nightly-restock';

/**
 * Creates the nightly restock schedule if it does not exist yet. Every inventory worker calls
 * this at start-up; the schedule id makes it idempotent, so there is only ever one.
 */
export async function ensureRestockSchedule(): Promise<void> {
  const { client, connection } = await connectTemporalClient();
  try {
    await client.schedule.create({
      scheduleId: RESTOCK_SCHEDULE_ID,
      spec: { calendars: [{ hour: 3, comment: 'every night at 03:00 UTC' }] },
      action: { type: 'startWorkflow', workflowType: 'RestockWorkflow', workflowId: 'restock', taskQueue: TaskQueues.inventory, args: [] },
      // If last night's run is somehow still going, skip rather than restock twice.
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  } finally {
    await connection.close();
  }
}
