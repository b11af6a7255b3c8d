import { proxyActivities, setWorkflowOptions } from '@temporalio/workflow';
import type { InventoryActivities } from '../services/inventory/activities';

const { restockLowStock } = proxyActivities<InventoryActivities>({
  // One database transaction.
  startToCloseTimeout: '30s',
  // Worth retrying for the rest of the night, not longer: tomorrow's run will catch up.
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

// Auto-upgrade: its one activity may retry for hours, longer than an inventory build should be kept running.
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, RestockWorkflow);

/** The nightly restock, started by the `nightly-restock` Temporal Schedule on the inventory queue. */
export async function RestockWorkflow(): Promise<{ sku: string; added: number }[]> {
  return await restockLowStock();
}
