// JSON schemas of the API's requests and replies. Fastify validates requests and serialises
// replies from these, so no route checks its input by hand.

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
    field: { type: 'string', description: 'The request field that failed validation, where there is one.' },
  },
} as const;

export const orderIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
} as const;

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
          sku: { type: 'string', minLength: 1, maxLength: 64 },
          quantity: { type: 'integer', minimum: 1, maximum: 100 },
        },
      },
    },
    paymentToken: { type: 'string', minLength: 1, maxLength: 128, description: 'A card gateway token, never a card number.' },
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

const links = {
  type: 'object',
  required: ['self', 'webUi'],
  properties: { self: { type: 'string' }, webUi: { type: 'string' } },
} as const;

export const placedOrderReply = {
  type: 'object',
  required: ['orderId', 'workflowId', 'status', 'links'],
  properties: {
    orderId: { type: 'string' },
    workflowId: { type: 'string' },
    status: { type: 'string' },
    totalCents: { type: 'integer' },
    links,
  },
} as const;

export const orderViewReply = {
  type: 'object',
  required: ['orderId', 'status', 'timeline', 'links'],
  properties: {
    orderId: { type: 'string' },
    status: { type: 'string' },
    currentStep: { type: ['string', 'null'] },
    totalCents: { type: 'integer' },
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          step: { type: 'string' },
          state: { type: 'string' },
          startedAt: { type: 'string' },
          endedAt: { type: 'string' },
          error: { type: 'string' },
        },
      },
    },
    shipment: {
      type: 'object',
      properties: {
        shipmentId: { type: 'string' },
        carrier: { type: 'string' },
        trackingNumber: { type: 'string' },
        deliveredAt: { type: 'string' },
      },
    },
    failure: { type: 'string' },
    links,
  },
} as const;
