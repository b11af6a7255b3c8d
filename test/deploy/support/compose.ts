import { isRecord, readYaml } from './repo';

export type ComposeService = Record<string, unknown>;

/** docker-compose.yml with its `<<` merge keys resolved. */
export function loadCompose(): { services: Record<string, ComposeService>; [key: string]: unknown } {
  const compose = readYaml('docker-compose.yml');
  if (!isRecord(compose) || !isRecord(compose.services)) throw new Error('docker-compose.yml has no services');
  return compose as { services: Record<string, ComposeService> };
}

/**
 * Compose's `${NAME:-default}` / `${NAME-default}` / `${NAME}` interpolation, as it happens
 * with no .env file and none of the variables set: each becomes its default or ''.
 */
export const interpolateDefaults = (text: string): string =>
  text.replace(/\$\{([A-Z][A-Z0-9_]*)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '');

/** Every `${NAME...}` a text refers to, with the default it gives (undefined when none). */
export function interpolatedVariables(text: string): { name: string; fallback: string | undefined }[] {
  return [...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::?-([^}]*))?\}/g)].map(([, name, fallback]) => ({ name, fallback }));
}

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
