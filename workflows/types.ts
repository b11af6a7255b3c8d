// The shapes the workflows, the activities and the API share. Plain data only: every value
// here is serialised into the workflow's history.

import type { Duration } from '@temporalio/common';

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface OrderInput {
  orderId: string;
  customerId: string;
  customerEmail: string;
  lines: OrderLine[];
  totalCents: number;
  /** A payment gateway token, never a raw card number: workflow histories are stored. */
  paymentToken: string;
  shippingAddress: ShippingAddress;
}

/** The orders service's business rules for an order, read once when the order starts. */
export interface OrderPolicy {
  /** Orders whose total is above this wait for a person's approval. */
  approvalThresholdCents: number;
  /** How long an order waits for that approval before it is rejected (e.g. "24 hours"). */
  approvalTimeout: Duration;
  /** How long a shipment may take from booking to delivery before it is declared lost. */
  deliveryTimeout: Duration;
}

export type OrderStatus =
  | 'received'
  | 'awaiting_approval'
  | 'reserving_stock'
  | 'charging_payment'
  | 'shipping'
  | 'confirming'
  | 'compensating'
  // Final statuses: the workflow has ended.
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'rejected';

export const FINAL_STATUSES: readonly OrderStatus[] = ['completed', 'failed', 'cancelled', 'rejected'];

export type StepName =
  | 'validateOrder'
  | 'awaitApproval'
  | 'reserveStock'
  | 'chargePayment'
  | 'shipOrder'
  | 'commitStock'
  | 'sendConfirmation'
  // Compensations, run in reverse order when a later step fails or the order is cancelled.
  | 'refundPayment'
  | 'releaseStock'
  | 'notifyCustomer';

export type StepState = 'running' | 'completed' | 'failed';

export interface TimelineEntry {
  step: StepName;
  state: StepState;
  /** How many attempts the step's activity took (1 when it succeeded first time). */
  attempts?: number;
  startedAt: string;
  endedAt?: string;
  error?: string;
}

/** What the `status` query answers: where the order is and how it got there. */
export interface OrderView {
  orderId: string;
  status: OrderStatus;
  currentStep: StepName | null;
  totalCents: number;
  timeline: TimelineEntry[];
  shipment?: ShipmentResult;
  failure?: string;
}

export interface ShipmentInput {
  orderId: string;
  lines: Pick<OrderLine, 'sku' | 'quantity'>[];
  address: ShippingAddress;
  deliveryTimeout: Duration;
}

export interface ShipmentBooking {
  shipmentId: string;
  carrier: string;
  trackingNumber: string;
  label: string;
}

export interface ShipmentResult extends Omit<ShipmentBooking, 'label'> {
  deliveredAt: string;
}

/** What a carrier reports about a parcel. */
export interface CarrierEvent {
  event: 'dispatched' | 'delivered';
  /** When it happened, as the carrier saw it (ISO 8601). */
  at: string;
}
