// Generated from contracts/fraud-screening.schema.json by `npm run contracts`: edit the schema, then run it again.
import type { FromSchema } from 'json-schema-to-ts';

export const fraudScreeningContract = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'fraud-screening.schema.json',
  title: "screenOrder: the fraud service's activity, its input and its answer",
  $defs: {
    ScreeningRequest: {
      type: 'object',
      additionalProperties: false,
      required: ['orderId', 'customerId', 'totalCents', 'shippingCountry'],
      properties: {
        orderId: {
          type: 'string',
          minLength: 1,
          maxLength: 128,
        },
        customerId: {
          type: 'string',
          minLength: 1,
          maxLength: 128,
        },
        totalCents: {
          type: 'integer',
          minimum: 0,
        },
        shippingCountry: {
          type: 'string',
          pattern: '^[A-Z]{2}$',
          description: 'ISO 3166-1 alpha-2',
        },
        billingCountry: {
          type: 'string',
          pattern: '^[A-Z]{2}$',
          description: 'ISO 3166-1 alpha-2, when the order has one',
        },
      },
    },
    ScreeningVerdict: {
      type: 'object',
      additionalProperties: false,
      required: ['orderId', 'decision', 'rule', 'reason'],
      properties: {
        orderId: {
          type: 'string',
        },
        decision: {
          enum: ['approve', 'review', 'reject'],
        },
        rule: {
          description: 'The rule that decided; all-clear when none matched',
          enum: ['blocked-country', 'amount-reject', 'amount-review', 'velocity', 'country-mismatch', 'all-clear'],
        },
        reason: {
          type: 'string',
          description: "The rule's explanation, with the numbers it compared",
        },
      },
    },
  },
} as const;

export type ScreeningRequest = FromSchema<(typeof fraudScreeningContract)['$defs']['ScreeningRequest']>;
export type ScreeningVerdict = FromSchema<(typeof fraudScreeningContract)['$defs']['ScreeningVerdict']>;
