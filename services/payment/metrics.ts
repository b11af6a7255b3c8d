import { metricMeter } from '@temporalio/activity';

// Money moved, in cents (the orders' minor unit), through the SDK's activity meter: the workers'
// Prometheus endpoint serves them with the activity's namespace, task_queue and activity_type.

/** The names of the payment metrics, as the workers' Prometheus endpoint serves them. */
export const PaymentMetricNames = {
  captured: 'payment_captured_cents',
  refunded: 'payment_refunded_cents',
} as const;

/** Adds a capture to the revenue taken from cards. */
export const countCaptured = (amountCents: number): void =>
  metricMeter.createCounter(PaymentMetricNames.captured, 'cents', 'Revenue captured from cards, in cents').add(amountCents);

/** Adds a refund to the money given back. */
export const countRefunded = (amountCents: number): void =>
  metricMeter.createCounter(PaymentMetricNames.refunded, 'cents', 'Money refunded to cards, in cents').add(amountCents);
