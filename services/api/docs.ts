import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The two ways a request may present the key (security.ts), either of which is enough. */
const KEY_SCHEMES = {
  apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
  bearerKey: { type: 'http', scheme: 'bearer', description: 'the same key as a bearer token' },
} as const;

/**
 * The OpenAPI document, generated from the routes' own schemas, at /docs/json, and Swagger UI
 * at /docs. Register before the routes: @fastify/swagger collects them as they are added. It
 * declares the key exactly as security.ts enforces it: on every mutating route when keys are set, nowhere otherwise.
 */
export async function registerDocs(app: FastifyInstance, { apiKeyRequired }: { apiKeyRequired: boolean }): Promise<void> {
  await app.register(swagger, {
    // Shared schemas keep their own names in components.schemas ("Error"), not "def-0".
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json.$id === 'string' ? json.$id : `def-${index}`) },
    transform: ({ schema, url, route }) => {
      const mutating = [route.method].flat().some((method) => MUTATING.has(method));
      return { schema: apiKeyRequired && mutating ? { ...schema, security: [{ apiKey: [] }, { bearerKey: [] }] } : schema, url };
    },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Temporal order processing',
        version: '1.0.0',
        description: [
          'Places orders and reports on them. Each order is an OrderWorkflow on a Temporal server: its id is `order-<orderId>`.',
          'Every error has one shape: `{ statusCode, error, message, field? }`.',
          apiKeyRequired
            ? 'POST routes need the key, in the `x-api-key` header or as `Authorization: Bearer <key>`; without it they answer 401.'
            : 'This server requires no API key (API_KEY is unset).',
        ].join('\n\n'),
      },
      tags: [
        { name: 'orders', description: 'Place, list and follow orders.' },
        { name: 'order actions', description: 'Cancel, approve and reject: workflow updates the workflow accepts or refuses.' },
        { name: 'carrier', description: 'The carrier reports shipment progress.' },
        { name: 'catalog', description: 'What can be ordered.' },
        { name: 'codec', description: 'The codec server: the Temporal Web UI and CLI decrypt payloads through it.' },
        { name: 'health', description: 'Probes.' },
      ],
      ...(apiKeyRequired && { components: { securitySchemes: KEY_SCHEMES } }),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null, deepLinking: true } });
}
