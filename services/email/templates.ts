import type { OrderInput } from '../../workflows/types';

export type TemplateName = 'order-confirmation' | 'order-cancelled';

export interface TemplateDetails {
  trackingNumber?: string;
  /** Why the order did not go through (order-cancelled). */
  reason?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
}

const money = (cents: number): string => `$${(cents / 100).toFixed(2)}`;

function summary(order: OrderInput): string[] {
  return [
    ...order.lines.map((line) => `  ${line.quantity} x ${line.sku}  ${money(line.unitPriceCents * line.quantity)}`),
    `Total: ${money(order.totalCents)}`,
  ];
}

/** Renders an email for an order from one of the shop's templates. */
export function render(template: TemplateName, order: OrderInput, details: TemplateDetails = {}): RenderedEmail {
  const greeting = [`Hello ${order.shippingAddress.name},`, ''];
  switch (template) {
    case 'order-confirmation':
      return {
        subject: `Your order ${order.orderId} has been delivered`,
        text: [
          ...greeting,
          `Your order ${order.orderId} has been delivered.`,
          ...summary(order),
          '',
          `Tracking number: ${details.trackingNumber ?? 'n/a'}`,
        ].join('\n'),
      };
    case 'order-cancelled':
      return {
        subject: `Your order ${order.orderId} was cancelled`,
        text: [
          ...greeting,
          `We could not complete your order ${order.orderId}: ${details.reason ?? 'it was cancelled'}.`,
          'Any stock we held has been released and any payment refunded.',
          ...summary(order),
        ].join('\n'),
      };
  }
}
