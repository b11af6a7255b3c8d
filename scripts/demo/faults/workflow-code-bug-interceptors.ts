import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

// Bundled into the demo's bugged build of the workflow code only (scripts/demo/faults/bundle.ts).
// It runs inside the workflow sandbox, like any workflow code.

/**
 * The bug: OrderWorkflow throws a TypeError when it starts the shipment, after the payment. It is
 * not a business failure, so it fails the workflow task and not the workflow: the order waits
 * where it is, and the task is retried, until a fixed build runs it.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      async startChildWorkflowExecution(input, next) {
        if (input.workflowType === 'ShipmentWorkflow')
          throw new TypeError('live demo: a bug in the workflow code, between payment and shipping');
        return next(input);
      },
    },
  ],
});
