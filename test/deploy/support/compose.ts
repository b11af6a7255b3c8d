import { isRecord, readYaml } from './repo';

export type ComposeService = Record<string, unknown>;

/** docker-compose.yml with its `<<` merge keys resolved. */
export function loadCompose(): { services: Record<string, ComposeService>; [key: string]: unknown } {
  const compose = readYaml('docker-compose.yml');
  if (!isRecord(compose) || !isRecord(compose.services)) throw new Error('docker-compose.yml has no services');
  return compose as { services: Record<string, ComposeService> };
}

/**
 * A `${NAME...}` reference in compose's interpolation syntax: `${NAME}`, `${NAME:-default}`,
 * `${NAME-default}`, or a required variable, `${NAME:?message}` (unset or empty stops compose
 * with the message) or `${NAME?message}` (unset stops it).
 */
const REFERENCE = /\$\{([A-Z][A-Z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g;

export interface VariableReference {
  name: string;
  /** The default (`-` forms); undefined when none. */
  fallback: string | undefined;
  /** For `?` forms: compose refuses to run without the variable. */
  required?: { message: string; emptyRejected: boolean };
}

const referenceOf = ([, name, colon, operator, text]: RegExpMatchArray | string[]): VariableReference =>
  operator === '?'
    ? { name, fallback: undefined, required: { message: text, emptyRejected: colon === ':' } }
    : { name, fallback: operator === '-' ? text : undefined };

/**
 * Compose's interpolation as it happens with no .env file and none of the variables set: each
 * reference becomes its default or ''; a required variable fails, as compose does.
 */
export const interpolateDefaults = (text: string): string =>
  text.replace(REFERENCE, (...match: string[]) => {
    const reference = referenceOf(match);
    if (reference.required) throw new Error(`required variable ${reference.name} is missing a value: ${reference.required.message}`);
    return reference.fallback ?? '';
  });

/** Every `${NAME...}` a text refers to, with its default or its required-variable message. */
export function interpolatedVariables(text: string): VariableReference[] {
  return [...text.matchAll(REFERENCE)].map(referenceOf);
}

/** How many `${` the text has: each should be a reference interpolatedVariables understands. */
export const interpolationCount = (text: string): number => text.split('${').length - 1;

/** A service's environment as a map, whichever of compose's two forms it uses. */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const environment = service.environment;
  if (environment === undefined) return {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((item: string) => [item.split('=')[0], item.slice(item.indexOf('=') + 1)]));
  }
  if (!isRecord(environment)) throw new Error('environment must be a list or a map');
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value === null ? '' : String(value)]));
}

/** A service's command as a list of words. */
export function serviceCommand(service: ComposeService): string[] {
  const command = service.command;
  if (command === undefined) return [];
  return Array.isArray(command) ? command.map(String) : String(command).split(/\s+/);
}

/** The services that run a project process: those whose image is the project's own. */
export function appServices(compose: { services: Record<string, ComposeService> }): [string, ComposeService][] {
  return Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
}

/** Compose's interpolation with `values` set (as from .env), empty meaning unset: a required variable without a value fails, as compose does. */
export const interpolateWith = (text: string, values: Record<string, string>): string =>
  text.replace(REFERENCE, (...match: string[]) => {
    const reference = referenceOf(match);
    const value = values[reference.name];
    if (value) return value;
    if (reference.required) throw new Error(`required variable ${reference.name} is missing a value: ${reference.required.message}`);
    return reference.fallback ?? '';
  });
