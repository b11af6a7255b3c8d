import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { addWorkerPlugin } from '../../../services/common/worker-runner';

// Preloaded into a shipping pod, this is the live demo's bugged shipping build (scene "Bugged
// pod"): booking a shipment crashes while it prints the label, before anything is booked.

/** The bug: reading the address's second line, which the order does not have. */
export const labelBug: ActivityInterceptorsFactory = (context) => ({
  inbound: {
    async execute(input, next) {
      if (context.info.activityType === 'bookShipment') {
        const [{ address }] = input.args as [{ address: { line2?: string } }];
        address.line2!.trim();
      }
      return next(input);
    },
  },
});

addWorkerPlugin({
  name: 'live-demo-label-bug',
  configureWorker: (options) => ({
    ...options,
    interceptors: { ...options.interceptors, activity: [...(options.interceptors?.activity ?? []), labelBug] },
  }),
});
