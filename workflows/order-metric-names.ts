// The orders' metric names and histogram buckets, apart from the workflow code that records them
// (order-metrics.ts), so a worker can configure its Prometheus endpoint without loading the workflow SDK.

/** The names of the orders' metrics, as the workers' Prometheus endpoint serves them. */
export const OrderMetricNames = {
  placed: 'orders_placed',
  completed: 'orders_completed',
  compensated: 'orders_compensated',
  duration: 'order_duration_seconds',
  approvalWait: 'order_approval_wait_seconds',
} as const;

/** Bucket bounds of the histograms, in seconds: orders take seconds to minutes; an approval takes minutes to a day. */
export const orderHistogramBuckets: Record<string, number[]> = {
  [OrderMetricNames.duration]: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 900, 3600, 14_400, 86_400],
  [OrderMetricNames.approvalWait]: [1, 10, 30, 60, 300, 900, 1800, 3600, 4 * 3600, 8 * 3600, 86_400],
};
