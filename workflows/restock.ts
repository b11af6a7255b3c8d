import { proxyActivities } from '@temporalio/workflow';
import type { InventoryActivities } from '../services/inventory/activities';

const { restockLowStock } = proxyActivities<InventoryActivities>({
  // One database transaction.
  startToCloseTimeout: '30s',
  // Worth retrying for the rest of the night, not longer: tomorrow's run will catch up.
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** The nightly restock, started by the `nightly-restock` Temporal Schedule on the inventory queue. */
export async function RestockWorkflow(): Promise<{ sku: string; added: number }[]> {
  return await restockLowStock();
}
