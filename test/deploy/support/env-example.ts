import { readText } from './repo';

export interface DocumentedVariable {
  name: string;
  /** The value, unquoted; `undefined` for a commented-out line (documented, unset by default). */
  value: string | undefined;
  section: 'application' | 'compose';
}

const COMPOSE_SECTION = /^#\s*-+\s*docker compose only/i;

/**
 * The variables .env.example documents: `NAME=value` lines, and `# NAME=value` lines for
 * variables that are unset by default. Those after the "docker compose only" heading are
 * compose settings; those before it are read by the application.
 */
export function documentedVariables(): DocumentedVariable[] {
  let section: DocumentedVariable['section'] = 'application';
  const variables: DocumentedVariable[] = [];
  for (const line of readText('.env.example').split('\n')) {
    if (COMPOSE_SECTION.test(line)) section = 'compose';
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const [, commented, name, raw] = match;
    variables.push({ name, value: commented ? undefined : raw.replace(/^"(.*)"$/, '$1'), section });
  }
  return variables;
}
