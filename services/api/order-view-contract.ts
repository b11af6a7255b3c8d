import type { FromSchema } from 'json-schema-to-ts';
import type { OrderStatus, OrderView, ShipmentResult, StepState, TimelineEntry } from '../../workflows/types';
import type { DescribedOrder } from './order-fallback';
import type { OrderRead } from './order-view';
import type { orderReadSchema, orderViewSchema } from './schemas';

// The compiler's proof that orderViewSchema (what the API documents and serialises) describes the
// workflow's OrderView: `tsc` fails here when a field, a status or a step state changes on one
// side only. Fastify's serialiser would otherwise drop a field the schema does not name, silently.

/** An open object's declared properties only, at every depth: json-schema-to-ts adds `[x: string]: unknown`. */
type Declared<T> = T extends readonly (infer Item)[]
  ? Declared<Item>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Declared<T[K]> }
    : T;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The workflow's type fits the schema's, and both name the same fields. */
type Mirrors<Workflow, Schema> = [Workflow] extends [Schema] ? Same<keyof Workflow, keyof Schema> : false;

type Proven<Claim extends true> = Claim;

type OrderViewReply = Omit<Declared<FromSchema<typeof orderViewSchema>>, 'links'>;
type TimelineReply = OrderViewReply['timeline'][number];
type ShipmentReply = NonNullable<OrderViewReply['shipment']>;

// GET /orders/:id wraps the view with its source and, from a description, the fallback: every read fits that reply.
type OrderReadReply = Omit<Declared<FromSchema<typeof orderReadSchema>>, 'links'>;

export type OrderViewContract = [
  Proven<Mirrors<OrderView, OrderViewReply>>,
  Proven<Mirrors<TimelineEntry, TimelineReply>>,
  Proven<Mirrors<ShipmentResult, ShipmentReply>>,
  Proven<Same<OrderViewReply['status'], OrderStatus>>,
  Proven<Same<TimelineReply['state'], StepState>>,
  Proven<Mirrors<DescribedOrder, OrderReadReply>>,
  Proven<[OrderRead] extends [OrderReadReply] ? true : false>,
];
