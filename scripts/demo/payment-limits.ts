// How much one payment pod can do in the surge scene: a slower card gateway and few payments
// at a time, so a modest order rate is more than one pod can keep up with.

/** A payment pod's limits: its card gateway's latency and how many payments it handles at once. */
export interface PaymentLimits {
  gatewayLatencyMs: number;
  maxConcurrentActivities: number;
}

/** The worker settings that hold a pod to those limits (services/common/config.ts). */
export const PAYMENT_LIMIT_SETTINGS = ['PAYMENT_GATEWAY_LATENCY_MS', 'WORKER_MAX_CONCURRENT_ACTIVITIES'] as const;

/** The limits as those settings' values. */
export const paymentLimitsEnv = (limits: PaymentLimits): Record<(typeof PAYMENT_LIMIT_SETTINGS)[number], string> => ({
  PAYMENT_GATEWAY_LATENCY_MS: String(limits.gatewayLatencyMs),
  WORKER_MAX_CONCURRENT_ACTIVITIES: String(limits.maxConcurrentActivities),
});

/** Orders a second one pod can pay for, at most: each order makes two gateway calls (authorize, capture). */
export const ordersPerSecondOfOnePod = (limits: PaymentLimits): number =>
  limits.maxConcurrentActivities / ((2 * limits.gatewayLatencyMs) / 1000);
