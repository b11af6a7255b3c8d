import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CarrierEvent, OrderView } from './types';

// Every message a workflow accepts is defined once, here, and imported by both the workflow
// and the API. Updates are used where the caller must know whether the request was accepted;
// their validators refuse a request that does not fit the order's current state.

/** The order's current status and step timeline. */
export const orderStatusQuery = defineQuery<OrderView>('status');

/** The customer cancels. Accepted until the order has shipped; refused with the reason after that. */
export const cancelOrderUpdate = defineUpdate<OrderView, [{ reason: string }]>('cancel');

/** A person approves an order that is waiting for approval (its total is above the threshold). */
export const approveOrderUpdate = defineUpdate<OrderView, [{ approvedBy: string }]>('approve');

/** A person rejects an order that is waiting for approval. */
export const rejectOrderUpdate = defineUpdate<OrderView, [{ rejectedBy: string; reason: string }]>('reject');

/** The carrier reports progress on a shipment (sent to the ShipmentWorkflow, id `shipment-<orderId>`). */
export const carrierEventSignal = defineSignal<[CarrierEvent]>('carrierEvent');
