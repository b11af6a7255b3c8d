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

const RUNNING_STATUSES = [
  'received',
  'awaiting_approval',
  'reserving_stock',
  'charging_payment',
  'shipping',
  'confirming',
  'compensating',
] as const;

const ENDED_STATUSES = ['completed', 'failed', 'cancelled', 'rejected'] as const;

/** Every status an order can be in, listed once: the API's schemas take their enum from here. */
export const ORDER_STATUSES = [...RUNNING_STATUSES, ...ENDED_STATUSES] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses of an order whose workflow has ended. */
export const FINAL_STATUSES: readonly OrderStatus[] = ENDED_STATUSES;

/** The steps of an order, as its timeline names them. */
export const STEP_NAMES = [
  'validateOrder',
  'screenOrder',
  'awaitApproval',
  'reserveStock',
  'chargePayment',
  'shipOrder',
  'commitStock',
  'sendConfirmation',
  // Compensations, run in reverse order when a later step fails or the order is cancelled.
  'refundPayment',
  'releaseStock',
  'notifyCustomer',
] as const;

export type StepName = (typeof STEP_NAMES)[number];

export const STEP_STATES = ['running', 'completed', 'failed'] as const;

export type StepState = (typeof STEP_STATES)[number];

// OrderView and the types in it are aliases, not interfaces: only an alias fits the open object
// types that the API derives from its reply schemas (services/api/order-view-contract.ts).
export type TimelineEntry = {
  step: StepName;
  state: StepState;
  /** How many attempts the step's activity took (1 when it succeeded first time). */
  attempts?: number;
  startedAt: string;
  endedAt?: string;
  error?: string;
};

/** What the `status` query answers: where the order is and how it got there. */
export type OrderView = {
  orderId: string;
  status: OrderStatus;
  currentStep: StepName | null;
  totalCents: number;
  timeline: TimelineEntry[];
  /** While the order waits for approval: when the wait times out and the order is rejected (ISO 8601). */
  approvalDeadline?: string;
  shipment?: ShipmentResult;
  failure?: string;
};

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

export type ShipmentResult = Omit<ShipmentBooking, 'label'> & {
  deliveredAt: string;
};

/** What a carrier reports about a parcel. */
export interface CarrierEvent {
  event: 'dispatched' | 'delivered';
  /** When it happened, as the carrier saw it (ISO 8601). */
  at: string;
}
