import { orderHistogramBuckets } from '../../workflows/order-metric-names';

/** A worker's Prometheus endpoint: the SDK's metrics and the business ones, with buckets that fit how long orders take. */
export const workerPrometheusMetrics = (bindAddress: string) => ({
  prometheus: { bindAddress, histogramBucketOverrides: orderHistogramBuckets },
});
