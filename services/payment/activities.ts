import { log } from '@temporalio/activity';
import { whileHeartbeating } from '../common/heartbeat';
import type { CardGateway } from './gateway';
import { countCaptured, countRefunded } from './metrics';
import type { Charge, PaymentStore } from './store';

export interface PaymentRequest {
  orderId: string;
  /** Made once by the workflow, so every retry and re-run refers to the same charge. */
  idempotencyKey: string;
  amountCents: number;
  paymentToken: string;
}

export type ChargeReference = Pick<PaymentRequest, 'orderId' | 'idempotencyKey'>;

/** The payment service's activities: thin adapters between the workflow, the gateway and the ledger. */
export function createPaymentActivities(store: PaymentStore, gateway: CardGateway) {
  return {
    /** Places a hold on the card. A declined card fails for good (CardDeclined). */
    async authorizePayment(request: PaymentRequest): Promise<Charge> {
      const reference = await whileHeartbeating(() =>
        gateway.perform('authorize', request.idempotencyKey, request.amountCents, request.paymentToken),
      );
      const charge = await store.record({ ...request, movement: 'authorize', gatewayReference: reference });
      log.info('payment authorized', { orderId: request.orderId, amountCents: request.amountCents });
      return charge;
    },

    /** Takes the authorised money. */
    async capturePayment({ orderId, idempotencyKey }: ChargeReference): Promise<Charge> {
      const charge = await requireCharge(store, idempotencyKey);
      if (charge.status !== 'authorized') return charge;
      const reference = await whileHeartbeating(() => gateway.perform('capture', idempotencyKey, charge.amountCents));
      log.info('payment captured', { orderId, amountCents: charge.amountCents });
      const captured = await store.record({
        orderId,
        idempotencyKey,
        movement: 'capture',
        amountCents: charge.amountCents,
        gatewayReference: reference,
      });
      countCaptured(captured.amountCents);
      return captured;
    },

    /** Gives the money back. Refunding an order that was never charged is a no-op, so compensation can always call it. */
    async refundPayment({ orderId, idempotencyKey }: ChargeReference): Promise<Charge | null> {
      const charge = await store.charge(idempotencyKey);
      if (!charge) return null;
      if (charge.status === 'refunded') return charge;
      const reference = await whileHeartbeating(() => gateway.perform('refund', idempotencyKey, charge.amountCents));
      log.info('payment refunded', { orderId, amountCents: charge.amountCents });
      const refunded = await store.record({
        orderId,
        idempotencyKey,
        movement: 'refund',
        amountCents: charge.amountCents,
        gatewayReference: reference,
      });
      countRefunded(refunded.amountCents);
      return refunded;
    },
  };
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;

async function requireCharge(store: PaymentStore, idempotencyKey: string): Promise<Charge> {
  const charge = await store.charge(idempotencyKey);
  // Unreachable through the workflow, which captures only after authorising; a bug if it happens.
  if (!charge) throw new Error(`no authorisation found for ${idempotencyKey}`);
  return charge;
}
