import type { FastifyError, FastifyInstance } from 'fastify';
import { WorkflowNotFoundError } from '@temporalio/client';
import { STATUS_CODES } from 'node:http';

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

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
}

const body = (statusCode: number, message: string, field?: string): ErrorBody => ({
  statusCode,
  error: STATUS_CODES[statusCode] ?? 'Error',
  message,
  ...(field && { field }),
});

/** The failing field of a schema validation error, as a path: "body/items/0/quantity". */
function validationField(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const missing = (first.params as { missingProperty?: string }).missingProperty;
  const extra = (first.params as { additionalProperty?: string }).additionalProperty;
  const path = [error.validationContext, ...first.instancePath.split('/').filter(Boolean), missing ?? extra].filter(Boolean);
  return path.join('/');
}

/** One error shape for every route: { statusCode, error, message, field? }. No stack trace leaves the process. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body(404, `no route for ${request.method} ${request.url.split('?')[0]}`));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.statusCode).send(body(error.statusCode, error.message, error.field));
    }
    if (error instanceof WorkflowNotFoundError) {
      return reply.code(404).send(body(404, 'no such order'));
    }
    if (error.validation) {
      return reply.code(400).send(body(400, error.message, validationField(error)));
    }
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 400 && statusCode < 500) {
      return reply.code(statusCode).send(body(statusCode, error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(body(500, 'internal error'));
  });
}
