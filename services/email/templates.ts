import type { OrderInput } from '../../workflows/types';

export type TemplateName = 'order-confirmation';

export interface RenderedEmail {
  subject: string;
  text: string;
}

const money = (cents: number): string => `$${(cents / 100).toFixed(2)}`;

/** Renders an email for an order from one of the shop's templates. */
export function render(template: TemplateName, order: OrderInput, details: { trackingNumber?: string } = {}): RenderedEmail {
  switch (template) {
    case 'order-confirmation':
      return {
        subject: `Your order ${order.orderId} is on its way`,
        text: [
          `Hello ${order.shippingAddress.name},`,
          '',
          `Thank you for your order ${order.orderId}.`,
          ...order.lines.map((line) => `  ${line.quantity} x ${line.sku}  ${money(line.unitPriceCents * line.quantity)}`),
          `Total: ${money(order.totalCents)}`,
          '',
          details.trackingNumber ? `Tracking number: ${details.trackingNumber}` : '',
        ].join('\n'),
      };
  }
}
