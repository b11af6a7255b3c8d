import { nanoid } from 'nanoid';
import { StockLevelsWorkflow } from '../../workflows/stock-levels';
import { TaskQueues } from '../../workflows/task-queues';
import { catalog } from '../common/catalog';
import type { ApiContext } from './context';
import { isTemporalUnavailable } from './temporal-calls';
import type { ApiInstance } from './type-provider';

/** What GET /catalog answers; the shop's page takes its type from it. */
export const catalogReply = {
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
          stock: { type: ['integer', 'null'], description: 'Units the inventory service holds now; null when it did not answer in time.' },
        },
      },
    },
    stockKnown: { type: 'boolean', description: 'Whether the inventory service answered with its stock.' },
  },
} as const;

/** GET /catalog: the products, their prices, and their stock. */
export async function catalogRoutes(app: ApiInstance, { client, call }: ApiContext): Promise<void> {
  /** Stock per SKU from the inventory service (a short workflow on its queue), or undefined if it did not answer in time. */
  const stockLevels = async (): Promise<Map<string, number> | undefined> => {
    try {
      const levels = await call(() =>
        client.workflow.execute(StockLevelsWorkflow, {
          workflowId: `stock-levels-${nanoid()}`,
          taskQueue: TaskQueues.inventory,
        }),
      );
      return new Map(levels.map(({ sku, quantity }) => [sku, quantity]));
    } catch (err) {
      if (isTemporalUnavailable(err)) return undefined;
      throw err;
    }
  };

  app.get(
    '/catalog',
    {
      schema: {
        summary: 'The products, with prices and stock',
        tags: ['catalog'],
        response: { 200: catalogReply, 429: { $ref: 'Error#' } },
      },
    },
    async () => {
      const stock = await stockLevels();
      return {
        products: catalog.map(({ sku, name, priceCents }) => ({ sku, name, priceCents, stock: stock?.get(sku) ?? null })),
        stockKnown: stock !== undefined,
      };
    },
  );
}
