import type { OrderInput, OrderLine, OrderStatus, ShipmentInput, StepName } from './types';

// What the Web UI shows of an order at a glance: its summary and details, one line on each
// activity, and the step it is at. These go into the history as user metadata, encrypted by the
// payload codec like every payload; still, they name no person: no name, email or address.

const dollars = (cents: number): string => `$${(cents / 100).toFixed(2)}`;
// The Web UI renders details as Markdown, where two "$" on a line make a formula.
const usd = (cents: number): string => `${(cents / 100).toFixed(2)} USD`;

const itemCount = (lines: readonly { quantity: number }[]): number => lines.reduce((sum, line) => sum + line.quantity, 0);

const items = (lines: readonly { quantity: number }[]): string => {
  const count = itemCount(lines);
  return `${count} item${count === 1 ? '' : 's'}`;
};

const stockList = (lines: readonly { sku: string; quantity: number }[]): string =>
  lines.map(({ sku, quantity }) => `${quantity} × ${sku}`).join(', ');

/** The end of a card token, enough to tell two cards apart: "…visa". */
const tokenTail = (token: string): string => `…${token.slice(-4)}`;

const lineDetail = ({ sku, quantity, unitPriceCents }: OrderLine): string =>
  `- ${quantity} × ${sku} at ${usd(unitPriceCents)}: ${usd(quantity * unitPriceCents)}`;

/** The Web UI's summary and details of an order's workflow, set when the API starts it. */
export const orderMetadata = ({
  orderId,
  customerId,
  lines,
  totalCents,
}: OrderInput): { staticSummary: string; staticDetails: string } => ({
  staticSummary: `Order ${orderId} for customer ${customerId}: ${items(lines)}, ${dollars(totalCents)}`,
  staticDetails: [`**Customer** ${customerId}`, `**Total** ${usd(totalCents)}`, '', ...lines.map(lineDetail)].join('\n'),
});

/** The Web UI's summary and details of a shipment's child workflow. */
export const shipmentMetadata = ({ orderId, lines }: Pick<ShipmentInput, 'orderId' | 'lines'>) => ({
  staticSummary: `Shipment of order ${orderId}: ${items(lines)}`,
  staticDetails: lines.map(({ sku, quantity }) => `- ${quantity} × ${sku}`).join('\n'),
});

/** One line on each activity the order and its shipment call, shown on the activity in the Web UI. */
export const activitySummaries = {
  reserveStock: (lines: readonly { sku: string; quantity: number }[]) => ({ summary: `reserve ${stockList(lines)}` }),
  releaseStock: (orderId: string) => ({ summary: `release the stock reserved for order ${orderId}` }),
  commitStock: (orderId: string) => ({ summary: `commit the stock of order ${orderId}: it has left` }),
  authorizePayment: (amountCents: number, paymentToken: string) => ({
    summary: `authorize ${dollars(amountCents)}, card token ${tokenTail(paymentToken)}`,
  }),
  capturePayment: (amountCents: number) => ({ summary: `charge ${dollars(amountCents)}` }),
  refundPayment: (amountCents: number) => ({ summary: `refund up to ${dollars(amountCents)}` }),
  sendOrderEmail: (template: string) => ({ summary: `email the customer: ${template}` }),
  bookShipment: (lines: readonly { quantity: number }[]) => ({ summary: `book a carrier for ${items(lines)}` }),
  trackShipment: (shipmentId: string) => ({ summary: `track ${shipmentId} until delivered` }),
  recordCarrierEvent: (event: string) => ({ summary: `record the carrier's "${event}"` }),
};

/** The Web UI's current details of an order: its status and the step it is at. */
export function orderStepDetails(status: OrderStatus, step: StepName | null): string {
  return step ? `**Status** ${status}\n\n**Step** ${step}` : `**Status** ${status}`;
}
