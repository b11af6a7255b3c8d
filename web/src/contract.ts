// The shapes the pages read, taken from the API's own reply schemas so the two cannot drift.
// Type imports only: esbuild drops them, and no server code reaches the browser.

import type { FromSchema } from 'json-schema-to-ts';
import type { catalogReply } from '../../services/api/catalog-routes';
import type { orderListReply } from '../../services/api/order-list';
import type { fallbackSchema, linksSchema, orderReadSchema } from '../../services/api/schemas';
import type { OrderView } from '../../workflows/types';

export type { TimelineEntry } from '../../workflows/types';

export type Fallback = FromSchema<typeof fallbackSchema>;

/** An order as the actions answer it: the workflow's view (services/api/order-view-contract.ts proves it is the schema's) and its links. */
export type OrderReply = OrderView & { links: FromSchema<typeof linksSchema> };

/** An order as GET /orders/:id and the SSE events carry it: with where it was read from. */
export type OrderRead = OrderReply & { source: FromSchema<typeof orderReadSchema>['source']; fallback?: Fallback };

export type OrderPage = FromSchema<typeof orderListReply>;

export type OrderSummary = OrderPage['orders'][number];

export type Catalog = FromSchema<typeof catalogReply>;

export type CatalogProduct = Catalog['products'][number];
