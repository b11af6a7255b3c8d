import { ApplicationFailure, patched, proxyActivities } from '@temporalio/workflow';
import type { ScreeningRequest, ScreeningVerdict } from '../services/common/fraud-screening-contract';
import type { OrderProgress } from './order-progress';
import { TaskQueues } from './task-queues';
import type { OrderInput } from './types';

/** The fraud service's activity; it runs in Python (services/fraud), its contract is contracts/fraud-screening.schema.json. */
export interface FraudActivities {
  screenOrder(request: ScreeningRequest): Promise<ScreeningVerdict>;
}

/** The business failure of an order the fraud rules reject. */
export const FRAUD_REJECTED = 'FraudRejected';
/** The fraud worker's answer to an input that does not fit the contract; it names the field. */
export const INVALID_SCREENING_INPUT = 'InvalidScreeningInput';
/** Orders started before the screening step existed replay without it. */
export const FRAUD_SCREENING_PATCH = 'fraud-screening';

const { screenOrder } = proxyActivities<FraudActivities>({
  taskQueue: TaskQueues.fraud,
  // Rules and one transaction on the service's own database: milliseconds, or a configured delay during which it heartbeats.
  startToCloseTimeout: '30s',
  // A killed fraud worker is noticed within this, and the screening runs again on another.
  heartbeatTimeout: '5s',
  // Retried without limit while the fraud service is down; a malformed input will not get better.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes: [INVALID_SCREENING_INPUT] },
});

/**
 * Asks the fraud service about the order before anything is reserved or charged. Returns whether a
 * person must review it; a rejection is a non-retryable business failure, so the order is compensated.
 */
export async function screenForFraud(order: OrderInput, progress: OrderProgress): Promise<boolean> {
  if (!patched(FRAUD_SCREENING_PATCH)) return false;
  return progress.step('screenOrder', async () => {
    const verdict = await screenOrder(screeningRequest(order));
    if (verdict.decision === 'reject') {
      throw ApplicationFailure.create({
        type: FRAUD_REJECTED,
        message: `rejected by fraud screening (rule ${verdict.rule}): ${verdict.reason}`,
        nonRetryable: true,
        details: [verdict],
      });
    }
    return verdict.decision === 'review';
  });
}

/** What the fraud rules look at: no email, no address lines, no payment token. */
const screeningRequest = ({ orderId, customerId, totalCents, shippingAddress }: OrderInput): ScreeningRequest => ({
  orderId,
  customerId,
  totalCents,
  shippingCountry: shippingAddress.country,
});
