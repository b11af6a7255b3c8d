import { proxyActivities, setWorkflowOptions } from '@temporalio/workflow';
import type { InventoryActivities } from '../services/inventory/activities';
import type { StockLine } from '../services/inventory/store';

const { listStock } = proxyActivities<InventoryActivities>({
  // One read of the inventory store; someone is waiting for the answer.
  startToCloseTimeout: '5s',
  // A caller waits for this: a few quick tries, then let the API answer without stock.
  retry: { initialInterval: '200ms', maximumAttempts: 3 },
});

// Pinned: it lasts seconds, so it finishes on the build it started on.
setWorkflowOptions({ versioningBehavior: 'PINNED' }, StockLevelsWorkflow);

/**
 * Reads the inventory service's stock for the API's catalog. The inventory service owns that
 * data, so the API asks it through Temporal, on the inventory queue, rather than opening its store.
 */
export async function StockLevelsWorkflow(): Promise<StockLine[]> {
  return await listStock();
}
