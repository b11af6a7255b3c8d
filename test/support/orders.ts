import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../services/api/app';
import type { TestStack } from './stack';

/** A valid POST /orders body; override any field to make the order you need. */
export function orderRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId: 'c-ada',
    customerEmail: 'ada@example.com',
    items: [
      { sku: 'MUG-DURABLE', quantity: 2 },
      { sku: 'STICKER-PACK', quantity: 1 },
    ],
    paymentToken: 'tok_visa',
    shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    ...overrides,
  };
}

/** The API on a real port, talking to the stack's namespace. */
export async function listeningApi(stack: Pick<TestStack, 'client'>): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({ client: stack.client, uiUrl: 'http://localhost:8233', logLevel: 'warn' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}
