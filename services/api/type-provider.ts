import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { errorSchema } from './schemas';

// `{ $ref: 'Error#' }` replies resolve to the error shape instead of `unknown`, which would let any reply through.
type SchemaOptions = { references: [typeof errorSchema] };

/** Request parts and replies typed from each route's JSON schemas (json-schema-to-ts). */
export type ApiTypeProvider = JsonSchemaToTsProvider<{ ValidatorSchemaOptions: SchemaOptions; SerializerSchemaOptions: SchemaOptions }>;

/** The Fastify instance every route plugin of the API receives. */
export type ApiInstance = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ApiTypeProvider>;
