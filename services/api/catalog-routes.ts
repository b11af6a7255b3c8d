import type { FastifyInstance } from 'fastify';
import { catalog } from '../inventory/catalog';
import { readStockLevels } from './stock-levels';

export interface CatalogRoutesOptions {
  /** The inventory service's store; stock is unknown (null) without it. */
  inventoryDbPath?: string;
}

const catalogReply = {
  type: 'object',
  required: ['products', 'stockKnown'],
  properties: {
    products: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sku', 'name', 'priceCents', 'stock'],
        properties: {
          sku: { type: 'string', examples: ['MUG-DURABLE'] },
          name: { type: 'string' },
          priceCents: { type: 'integer' },
          stock: { type: ['integer', 'null'], description: 'Units the inventory service holds now; null when it cannot be read.' },
        },
      },
    },
    stockKnown: { type: 'boolean', description: "Whether stock was read from the inventory service's store." },
  },
} as const;

/** GET /catalog: the products, their prices, and their stock. */
export async function catalogRoutes(app: FastifyInstance, { inventoryDbPath }: CatalogRoutesOptions): Promise<void> {
  app.get(
    '/catalog',
    { schema: { summary: 'The products, with prices and stock', tags: ['catalog'], response: { 200: catalogReply, 429: { $ref: 'Error#' } } } },
    async () => {
      const stock = readStockLevels(inventoryDbPath);
      return {
        products: catalog.map(({ sku, name, priceCents }) => ({ sku, name, priceCents, stock: stock?.get(sku) ?? null })),
        stockKnown: stock !== undefined,
      };
    },
  );
}
