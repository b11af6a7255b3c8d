import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const common: Options = {
  // Refuse what the schemas do not allow, rather than silently dropping it.
  removeAdditional: false,
  useDefaults: true,
  // One error at a time: all errors of a hostile body would be a denial-of-service lever.
  allErrors: false,
  strictTypes: false,
};

/**
 * Validation without surprises. JSON bodies already carry types, so a body is checked as sent:
 * `"quantity": true` is a 400, not one mug. Params, query strings and headers are always text,
 * so those are coerced to the types their schemas declare ("?pageSize=5" is the number 5).
 */
export function registerValidation(app: FastifyInstance): void {
  const bodies = addFormats(new Ajv({ ...common, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : text).compile(schema));
}
