import { TaskQueues, type ServiceName } from '../../../workflows/task-queues';
import { customSearchAttributes } from '../../../workflows/search-attributes';
import { listFiles, readText } from './repo';

// What the deployment must agree with, read from the application's own code.

export { customSearchAttributes };

/** Every service that runs a worker, and its task queue (workflows/task-queues.ts). */
export const workerQueues = Object.entries(TaskQueues) as [ServiceName, string][];

/**
 * The services whose worker.ts constructs a store (`new PaymentStore(...)`): their activities'
 * idempotency lives in a SQLite file under DATA_DIR, so every run of them must see that one file.
 */
export const storeServices = (): ServiceName[] =>
  workerQueues.map(([service]) => service).filter((service) => /\bnew\s+\w*Store\s*\(/.test(readText(`services/${service}/worker.ts`)));

/** The entry point of a service's worker inside the image. */
export const workerEntryPoint = (service: ServiceName): string => `dist/services/${service}/worker.js`;
export const apiEntryPoint = 'dist/services/api/server.js';

const CONFIG_FILE = 'services/common/config.ts';

/** Every environment variable services/common/config.ts reads. */
export function configVariables(): string[] {
  const source = readText(CONFIG_FILE);
  const names = new Set<string>();
  const patterns = [/\benv\w*\(\s*'([A-Z][A-Z0-9_]*)'/g, /process\.env\.([A-Z][A-Z0-9_]*)/g, /process\.env\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) names.add(match[1]);
  return [...names].sort();
}

/** The defaults config.ts gives as literals (`env('X', 'a')`, `envDuration('X', '1m')`, `envNumber('X', 5)`, `envList('X', ['a'])`), as env-var text. */
export function configLiteralDefaults(): Map<string, string> {
  const source = readText(CONFIG_FILE);
  const defaults = new Map<string, string>();
  for (const [, name, value] of source.matchAll(/\benv(?:Duration)?\(\s*'([A-Z][A-Z0-9_]*)',\s*'([^']*)'\s*\)/g)) defaults.set(name, value);
  for (const [, name, value] of source.matchAll(/\benvNumber\(\s*'([A-Z][A-Z0-9_]*)',\s*(-?[\d_.]+)\s*\)/g))
    defaults.set(name, value.replace(/_/g, ''));
  for (const [, name, items] of source.matchAll(/\benvList\(\s*'([A-Z][A-Z0-9_]*)',\s*\[([^\]]*)\]\s*\)/g)) {
    defaults.set(name, [...items.matchAll(/'([^']*)'/g)].map((item) => item[1]).join(','));
  }
  return defaults;
}

/**
 * The kinds of task that reach a service's task queue, so the kinds its worker polls for:
 * `workflow` when its worker.ts runs workflows; `activity` when it registers activities that
 * some workflow schedules as regular activities (`proxyActivities<PaymentActivities>`).
 * Local activities run inside the workflow worker and never reach the queue.
 */
export function workerTaskKinds(service: ServiceName): string[] {
  const worker = readText(`services/${service}/worker.ts`);
  const workflows = listFiles('workflows', ['.ts']).map(readText).join('\n');
  const activitiesType = `${service[0].toUpperCase()}${service.slice(1)}Activities`;
  const kinds: string[] = [];
  if (/runsWorkflows:\s*true/.test(worker)) kinds.push('workflow');
  if (/\bactivities:/.test(worker) && new RegExp(`\\bproxyActivities<${activitiesType}>`).test(workflows)) kinds.push('activity');
  return kinds;
}

/** The paths the API registers with `app.get('/path'...)` and similar. */
export function apiRoutes(): string[] {
  const source = listFiles('services/api', ['.ts']).map(readText).join('\n');
  return [...source.matchAll(/\.(?:get|post|put|patch|delete|route)\(\s*'([^']+)'/g)].map((match) => match[1]);
}

/** The paths the workers' health server answers (services/common/health.ts). */
export function workerHealthPaths(): string[] {
  return [...readText('services/common/health.ts').matchAll(/req\.url === '([^']+)'/g)].map((match) => match[1]);
}

/** SEARCH_ATTRIBUTES text ("Name=Type ...") as a map, for comparison with customSearchAttributes. */
export function parseSearchAttributeList(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .trim()
      .split(/\s+/)
      .map((pair) => pair.split('=') as [string, string]),
  );
}
