import { ApplicationFailure } from '@temporalio/common';
import { createPaymentActivities } from '../../services/payment/activities';
import { CardGateway } from '../../services/payment/gateway';
import { paymentSchema, PaymentStore } from '../../services/payment/store';
import { openTestDatabase } from '../support/databases';
import { ActivityEnv } from '../support/activity-env';

const env = new ActivityEnv();
let store: PaymentStore;

function activities(settings: Partial<ConstructorParameters<typeof CardGateway>[1]> = {}, random = () => 0.5) {
  const gateway = new CardGateway(store.database, { latencyMs: 0, failureRate: 0, declinedTokens: ['tok_declined'], ...settings }, random);
  return createPaymentActivities(store, gateway);
}

const request = { orderId: 'o-1', idempotencyKey: 'charge-o-1', amountCents: 2500, paymentToken: 'tok_visa' };

beforeEach(async () => {
  store = new PaymentStore(await openTestDatabase(paymentSchema));
});
afterEach(() => store.close());

test('authorising the same idempotency key twice records one authorisation', async () => {
  const { authorizePayment } = activities();
  await env.run(authorizePayment, request);
  await env.run(authorizePayment, request);
  expect((await store.ledger('o-1')).map((entry) => entry.movement)).toEqual(['authorize']);
});

test('a declined card is a non-retryable CardDeclined failure and moves no money', async () => {
  const { authorizePayment } = activities();
  const attempt = env.run(authorizePayment, { ...request, paymentToken: 'tok_declined' });
  await expect(attempt).rejects.toBeInstanceOf(ApplicationFailure);
  await expect(attempt).rejects.toMatchObject({ type: 'CardDeclined', nonRetryable: true });
  expect(await store.ledger('o-1')).toEqual([]);
});

test('a gateway outage is a retryable error', async () => {
  const { authorizePayment } = activities({ failureRate: 0.3 }, () => 0.1);
  await expect(env.run(authorizePayment, request)).rejects.toMatchObject({ name: 'GatewayUnavailable' });
  expect(await store.ledger('o-1')).toEqual([]);
});

test('capture then refund move the authorised amount once each, however often they are called', async () => {
  const { authorizePayment, capturePayment, refundPayment } = activities();
  await env.run(authorizePayment, request);
  await env.run(capturePayment, request);
  await env.run(capturePayment, request);
  await env.run(refundPayment, request);
  const refunded = await env.run(refundPayment, request);
  expect(refunded?.status).toBe('refunded');
  expect((await store.ledger('o-1')).map((entry) => [entry.movement, entry.amountCents])).toEqual([
    ['authorize', 2500],
    ['capture', 2500],
    ['refund', 2500],
  ]);
});

test('refunding an order that was never charged does nothing', async () => {
  const { refundPayment } = activities();
  await expect(env.run(refundPayment, request)).resolves.toBeNull();
  expect(await store.ledger('o-1')).toEqual([]);
});
