import { createHash } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import type { FromSchema } from 'json-schema-to-ts';
import type { OrderInput, OrderLine } from '../../workflows/types';
import { findProduct } from '../common/catalog';
import { ApiError } from './errors';

// Turning a POST /orders body into the OrderWorkflow's input: prices from the catalog, and the
// order id, which is random or, with an Idempotency-Key, derived from the key.

/** The body of POST /orders. */
export const placeOrderBody = {
  type: 'object',
  required: ['customerId', 'customerEmail', 'items', 'paymentToken', 'shippingAddress'],
  additionalProperties: false,
  properties: {
    customerId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' },
    customerEmail: { type: 'string', format: 'email', maxLength: 254 },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        required: ['sku', 'quantity'],
        additionalProperties: false,
        properties: {
          sku: { type: 'string', minLength: 1, maxLength: 64, examples: ['MUG-DURABLE'] },
          quantity: { type: 'integer', minimum: 1, maximum: 100 },
        },
      },
    },
    paymentToken: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description: 'A card gateway token, never a card number.',
      examples: ['tok_visa'],
    },
    shippingAddress: {
      type: 'object',
      required: ['name', 'line1', 'city', 'postalCode', 'country'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 },
        line1: { type: 'string', minLength: 1, maxLength: 200 },
        city: { type: 'string', minLength: 1, maxLength: 100 },
        postalCode: { type: 'string', minLength: 1, maxLength: 20 },
        country: { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 code.' },
      },
    },
  },
} as const;

export type PlaceOrderRequest = FromSchema<typeof placeOrderBody>;

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
// Order ids are short, URL-safe and unguessable.
const randomOrderId = customAlphabet(ID_ALPHABET, 12);

/**
 * The order id for a request: the same Idempotency-Key always gives the same id, so the same
 * workflow id, and Temporal itself refuses a second workflow for it. Hashing keeps the client's
 * key out of URLs and the Web UI, and gives every id the same shape.
 */
export function orderIdFor(idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomOrderId();
  const digest = createHash('sha256').update(`order:${idempotencyKey}`).digest();
  return [...digest.subarray(0, 16)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

/** JSON with object keys sorted, so two bodies that differ only in key order hash the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of a request body, kept in the workflow's memo to tell a retry from a different order under the same key. */
export const requestHash = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

/** The workflow's input: each item priced from the catalog. An unknown SKU is the caller's mistake (400). */
export function orderInput(orderId: string, { items, ...customer }: PlaceOrderRequest): OrderInput {
  const lines: OrderLine[] = items.map(({ sku, quantity }, index) => {
    const product = findProduct(sku);
    if (!product) throw new ApiError(400, `unknown SKU "${sku}"`, `body/items/${index}/sku`);
    return { sku, quantity, unitPriceCents: product.priceCents };
  });
  const totalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
  return { ...customer, orderId, lines, totalCents };
}
