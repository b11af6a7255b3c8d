import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import type { errorSchema } from './schemas';
import { isNotFound, isTemporalUnavailable } from './temporal-calls';

/** An error the API answers on purpose, with its status code and, where there is one, the failing field. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export type ErrorBody = FromSchema<typeof errorSchema>;

/** The one error shape: { statusCode, error, message, field? }. */
export const errorBody = (statusCode: number, message: string, field?: string): ErrorBody => ({
  statusCode,
  error: STATUS_CODES[statusCode] ?? 'Error',
  message,
  ...(field && { field }),
});

/** The failing field of a schema validation error, as a path: "body/items/0/quantity". */
function validationField(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const params = first.params as { missingProperty?: string; additionalProperty?: string };
  const path = [
    error.validationContext,
    ...first.instancePath.split('/').filter(Boolean),
    params.missingProperty ?? params.additionalProperty,
  ];
  return path.filter(Boolean).join('/');
}

/** What the API answers for an error: known ones on purpose, anything else a bare 500. */
export function errorReply(error: FastifyError | Error): ErrorBody {
  if (error instanceof ApiError) return errorBody(error.statusCode, error.message, error.field);
  if (isNotFound(error)) return errorBody(404, 'no such order');
  if (isTemporalUnavailable(error)) return errorBody(503, 'Temporal did not answer in time; try again shortly');
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return errorBody(400, fastifyError.message, validationField(fastifyError));
  const statusCode = fastifyError.statusCode ?? 500;
  // Fastify's own 4xx (bad JSON, 413, 415, 429...) carry messages written for the caller.
  if (statusCode >= 400 && statusCode < 500) return errorBody(statusCode, fastifyError.message);
  return errorBody(500, 'internal error');
}

/** One error shape for every route and every failure. No stack trace leaves the process. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(404, `no route for ${request.method} ${request.url.split('?')[0]}`));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = errorReply(error);
    if (body.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    if (body.statusCode === 503) reply.header('retry-after', '1');
    return reply.code(body.statusCode).send(body);
  });
}
