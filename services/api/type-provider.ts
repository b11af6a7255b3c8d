import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { errorSchema } from './schemas';

// Without the shared schemas as references, a `{ $ref: 'Error#' }` reply would be typed `never`, not the error shape.
type SchemaOptions = { references: [typeof errorSchema] };

/** Request parts and replies typed from each route's JSON schemas (json-schema-to-ts). */
export type ApiTypeProvider = JsonSchemaToTsProvider<{ ValidatorSchemaOptions: SchemaOptions; SerializerSchemaOptions: SchemaOptions }>;

/** The Fastify instance every route plugin of the API receives. */
export type ApiInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ApiTypeProvider
>;
