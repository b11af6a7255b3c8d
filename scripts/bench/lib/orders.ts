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
    // A failed request is told apart by shape, not `instanceof Error`: under jest, fetch's errors come from another realm.
    const answer = await fetch(`${apiUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body(index)),
      signal: AbortSignal.timeout(10_000),
    }).catch((err: unknown) => ({ failed: String((err as Error)?.message ?? err) }));
    if ('status' in answer && answer.status === 201) {
      const { orderId, workflowId } = (await answer.json()) as { orderId: string; workflowId: string };
      return { orderId, workflowId, kind: 'regular', items: ITEMS };
    }
    const problem = 'failed' in answer ? answer.failed : `${answer.status} ${await answer.text()}`;
    if ('status' in answer && answer.status < 500) throw new Error(`POST /orders answered ${problem}`);
    if (Date.now() > giveUpAt) throw new Error(`POST /orders did not succeed within ${deadlineMs / 1000}s: ${problem}`);
    await sleep(Math.min(200 * attempt, 2_000));
  }
}

/** Resolves once the order's workflow has ended, however it ended, waiting out Temporal outages; gives up after `deadlineMs`. */
export async function awaitClosed(client: Client, workflowId: string, deadlineMs = Infinity): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  const result = () => client.workflow.getHandle(workflowId).result();
  for (;;) {
    try {
      await (Number.isFinite(giveUpAt) ? client.withDeadline(giveUpAt, result) : result());
      return;
    } catch (err) {
      if (err instanceof WorkflowFailedError) return;
      if (!isTransient(err) && !isTransient((err as Error)?.cause)) throw err;
      if (Date.now() > giveUpAt) throw new Error(`${workflowId} had not ended within ${deadlineMs / 1000}s: ${(err as Error).message}`);
      await sleep(500);
    }
  }
}

/** Whether an error is Temporal being unreachable or slow, as during its restart: the call is worth making again. */
const isTransient = (err: unknown): boolean =>
  isGrpcServiceError(err) || /UNAVAILABLE|ECONNREFUSED|DEADLINE|deadline/i.test(String((err as Error)?.message));
