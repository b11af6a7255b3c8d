import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres';
import { openDatabase } from '../../services/common/database';
import { createPaymentActivities } from '../../services/payment/activities';
import { CardGateway } from '../../services/payment/gateway';
import { paymentSchema, PaymentStore, type PaymentTables } from '../../services/payment/store';
import { ActivityEnv } from '../support/activity-env';
import { databaseSettings } from '../support/databases';
import { startOrder } from '../support/orders';
import { TestStack } from '../support/stack';

// The payment database goes down while orders are charged, and comes back: activities fail and
// are retried, the worker reports itself not ready meanwhile, and each write lands once.

let postgres: PostgresServer;
let paymentUrl: string;

beforeAll(async () => {
  postgres = await startPostgres();
  paymentUrl = await postgres.createDatabase('payment', { name: 'payment', password: 'payment-secret' });
}, 60_000);
afterAll(() => postgres?.destroy());

async function openPaymentStore(): Promise<PaymentStore> {
  return new PaymentStore(await openDatabase<PaymentTables>(databaseSettings(paymentUrl), paymentSchema));
}

/** Polls until `check` holds; fails after `timeoutMs` with `what`. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(100);
  }
}

const readiness = async (url: string): Promise<number> => (await fetch(url)).status;

test('while the database is down an authorisation fails retryably and the store reports it unreachable; once back, the retry records it once', async () => {
  const store = await openPaymentStore();
  const gateway = new CardGateway(store.database, { latencyMs: 0, failureRate: 0, declinedTokens: [] });
  const { authorizePayment } = createPaymentActivities(store, gateway);
  const request = { orderId: 'o-down', idempotencyKey: 'charge-o-down', amountCents: 2500, paymentToken: 'tok_visa' };
  const env = new ActivityEnv();

  await postgres.stop('immediate');
  try {
    const failure = await env.run(authorizePayment, request).then(
      () => undefined,
      (err: unknown) => err,
    );
    // A plain error, which Temporal retries, not a non-retryable business failure.
    expect(failure).toMatchObject({ message: expect.stringMatching(/ECONNREFUSED|terminated|connection/i) });
    expect(failure instanceof ApplicationFailure && failure.nonRetryable).toBe(false);
    expect(await store.database.checkReachable()).toBe(false);
    expect(store.database.isReachable()).toBe(false);
  } finally {
    await postgres.start();
  }

  await expect(env.run(authorizePayment, request)).resolves.toMatchObject({ status: 'authorized' });
  await env.run(authorizePayment, request);
  expect(await store.database.checkReachable()).toBe(true);
  expect((await store.ledger('o-down')).map((entry) => entry.movement)).toEqual(['authorize']);
  await store.close();
});

test('an order charged while the payment database is down waits, the payment worker is not ready meanwhile, and once it is back the order is charged once', async () => {
  // The launcher's namespace: its tests start no workflows, so this file's orders meet no others.
  const stack = await TestStack.start({ namespace: 'launcher', env: { PAYMENT_DATABASE_URL: paymentUrl } });
  try {
    const readyUrl = stack.workers.get('payment')!.readyUrl;
    expect(await readiness(readyUrl)).toBe(200);

    await postgres.stop('immediate');
    let restarted = false;
    try {
      await eventually('the payment worker answering 503 on /readyz', async () => (await readiness(readyUrl)) === 503);
      const { order, handle } = await startOrder(stack);
      await eventually('a second attempt at the payment', async () =>
        ((await handle.describe()).raw.pendingActivities ?? []).some((activity) => (activity.attempt ?? 0) >= 2),
      );
      expect(await readiness(readyUrl)).toBe(503);

      await postgres.start();
      restarted = true;
      await eventually('the payment worker ready again', async () => (await readiness(readyUrl)) === 200);
      expect((await handle.result()).status).toBe('completed');

      const store = await openPaymentStore();
      expect((await store.ledger(order.orderId)).map((entry) => entry.movement)).toEqual(['authorize', 'capture']);
      await store.close();
    } finally {
      if (!restarted) await postgres.start();
    }
  } finally {
    await stack.stop();
  }
}, 90_000);
