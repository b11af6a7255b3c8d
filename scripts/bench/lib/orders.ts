import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError, WorkflowFailedError, type Client } from '@temporalio/client';
import type { PlacedOrder } from '../../demo/audit';

// Orders as a client places them: through the API, retried with the same Idempotency-Key while the
// API is unreachable, and awaited through Temporal (not by polling the API), retried through a
// Temporal outage.

const ITEMS = [{ sku: 'STICKER-PACK', quantity: 1 }];

const body = (index: number) => ({
  customerId: `bench-${index % 50}`,
  customerEmail: 'bench@example.com',
  items: ITEMS,
  paymentToken: 'tok_visa',
  shippingAddress: { name: 'Bench', line1: '1 Loop St', city: 'London', postalCode: 'N1 1AA', country: 'GB' },
});

/** Places one order, retrying the same request while the API is down or answers 5xx; gives up after `deadlineMs`. */
export async function placeOrder(apiUrl: string, key: string, index: number, deadlineMs = 120_000): Promise<PlacedOrder> {
  const giveUpAt = Date.now() + deadlineMs;
  for (let attempt = 1; ; attempt += 1) {
    const answer = await fetch(`${apiUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body(index)),
      signal: AbortSignal.timeout(10_000),
    }).catch((err: unknown) => err as Error);
    if (!(answer instanceof Error) && answer.status === 201) {
      const { orderId, workflowId } = (await answer.json()) as { orderId: string; workflowId: string };
      return { orderId, workflowId, kind: 'regular', items: ITEMS };
    }
    const problem = answer instanceof Error ? answer.message : `${answer.status} ${await answer.text()}`;
    if (!(answer instanceof Error) && answer.status < 500) throw new Error(`POST /orders answered ${problem}`);
    if (Date.now() > giveUpAt) throw new Error(`POST /orders did not succeed within ${deadlineMs / 1000}s: ${problem}`);
    await sleep(Math.min(200 * attempt, 2_000));
  }
}

/** Resolves once the order's workflow has ended, however it ended, waiting out Temporal outages. */
export async function awaitClosed(client: Client, workflowId: string): Promise<void> {
  for (;;) {
    try {
      await client.workflow.getHandle(workflowId).result();
      return;
    } catch (err) {
      if (err instanceof WorkflowFailedError) return;
      if (!isGrpcServiceError(err) && !(err instanceof Error && /UNAVAILABLE|ECONNREFUSED|DEADLINE|deadline/i.test(err.message))) throw err;
      await sleep(500);
    }
  }
}
