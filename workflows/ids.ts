// Workflow ids are business keys, so "the workflow for order X" is a lookup, not a search,
// and Temporal itself refuses to start a second workflow for the same order.

/** The OrderWorkflow id of an order. */
export const orderWorkflowId = (orderId: string): string => `order-${orderId}`;

/** The ShipmentWorkflow id of an order's shipment. */
export const shipmentWorkflowId = (orderId: string): string => `shipment-${orderId}`;

/** The idempotency key of an order's charge: the same on every retry and every re-run. */
export const chargeIdempotencyKey = (orderId: string): string => `charge-${orderId}`;
