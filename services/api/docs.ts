import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/**
 * The OpenAPI document, generated from the routes' own schemas, at /docs/json, and Swagger UI
 * at /docs. Register before the routes: @fastify/swagger collects them as they are added.
 */
export async function registerDocs(app: FastifyInstance, { apiKeyRequired }: { apiKeyRequired: boolean }): Promise<void> {
  await app.register(swagger, {
    // Shared schemas keep their own names in components.schemas ("Error"), not "def-0".
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json.$id === 'string' ? json.$id : `def-${index}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Temporal order processing',
        version: '1.0.0',
        description: [
          'Places orders and reports on them. Each order is an OrderWorkflow on a Temporal server: its id is `order-<orderId>`.',
          'Every error has one shape: `{ statusCode, error, message, field? }`.',
          apiKeyRequired ? 'POST routes need the `x-api-key` header.' : 'This server requires no API key (API_KEY is unset).',
        ].join('\n\n'),
      },
      tags: [
        { name: 'orders', description: 'Place, list and follow orders.' },
        { name: 'order actions', description: 'Cancel, approve and reject: workflow updates the workflow accepts or refuses.' },
        { name: 'carrier', description: 'The carrier reports shipment progress.' },
        { name: 'catalog', description: 'What can be ordered.' },
        { name: 'health', description: 'Probes.' },
      ],
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null, deepLinking: true } });
}
