import { TaskQueues, type ServiceName } from '../../../workflows/task-queues';
import { customSearchAttributes } from '../../../workflows/search-attributes';
import { listFiles, readText } from './repo';

const CONFIG_FILE = 'services/common/config.ts';

// What the deployment must agree with, read from the application's own code.

export { customSearchAttributes };

/** Every service that runs a worker, and its task queue (workflows/task-queues.ts). */
export const workerQueues = Object.entries(TaskQueues) as [ServiceName, string][];

/** The services whose worker is written in Python: the module that starts it, and the one that reads its settings. */
const PYTHON_WORKERS: Partial<Record<ServiceName, { worker: string; config: string }>> = {
  fraud: { worker: 'services/fraud/fraud/worker.py', config: 'services/fraud/fraud/config.py' },
};

/** The source that starts a service's worker: its worker.ts, or the Python worker module. */
const workerSource = (service: ServiceName): string => readText(PYTHON_WORKERS[service]?.worker ?? `services/${service}/worker.ts`);

/**
 * The services whose worker constructs a store (`new PaymentStore(...)`, `FraudStore(...)` in Python):
 * their activities' idempotency lives in that store, so every replica of them must see the same database.
 */
export const storeServices = (): ServiceName[] =>
  workerQueues.map(([service]) => service).filter((service) => /(?:\bnew\s+|^|[\s=(])\w*Store\s*\(/m.test(workerSource(service)));

/**
 * The variable a service's database URL comes from, as its settings name it: services/common/config.ts
 * (`databaseConfig('PAYMENT_DATABASE_URL', ...)`), or a Python worker's config module
 * (`url=os.environ.get("FRAUD_DATABASE_URL")`).
 */
export function databaseUrlVariable(service: ServiceName): string {
  const pythonConfig = PYTHON_WORKERS[service]?.config;
  const [file, pattern] = pythonConfig
    ? [pythonConfig, /\burl=os\.environ\.get\(\s*"([A-Z_]+_DATABASE_URL)"/]
    : [CONFIG_FILE, new RegExp(`\\b${service}Config = \\(\\) => \\(\\{\\s*database: databaseConfig\\(\\s*'([A-Z_]+)'`)];
  const found = pattern.exec(readText(file));
  if (!found) throw new Error(`${file} gives ${service} no database URL variable (..._DATABASE_URL)`);
  return found[1];
}

/** The entry point of a service's worker inside the image. */
export const workerEntryPoint = (service: ServiceName): string => `dist/services/${service}/worker.js`;

/** The command that runs a service's worker in its image: Node on the entry point, or Python on the fraud package. */
export const workerCommand = (service: ServiceName): string =>
  PYTHON_WORKERS[service] ? `python -m ${service}` : `node ${workerEntryPoint(service)}`;
export const apiEntryPoint = 'dist/services/api/server.js';

/** The settings modules of the Python workers (services/fraud/fraud/config.py). */
const pythonConfigSources = (): string[] => Object.values(PYTHON_WORKERS).map(({ config }) => readText(config));

/** Every environment variable services/common/config.ts reads, and the Python workers' settings modules. */
export function configVariables(): string[] {
  const names = new Set<string>();
  const patterns = [/\benv\w*\(\s*'([A-Z][A-Z0-9_]*)'/g, /process\.env\.([A-Z][A-Z0-9_]*)/g, /process\.env\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g];
  for (const pattern of patterns) for (const match of readText(CONFIG_FILE).matchAll(pattern)) names.add(match[1]);
  // Python: `_int("X", ...)` and the other readers of config.py, and `os.environ.get("X")`.
  for (const source of pythonConfigSources())
    for (const match of source.matchAll(/(?:\b_[a-z_]+|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]*)"/g)) names.add(match[1]);
  return [...names].sort();
}

/**
 * The defaults the code gives as literals, as env-var text: config.ts's `env('X', 'a')`, `envDuration('X', '1m')`,
 * `envNumber('X', 5)`, `envList('X', ['a'])`, and the Python settings' `_int("X", 5)`, `_bool("X", True)`, `_duration_seconds("X", "1h")`.
 */
export function configLiteralDefaults(): Map<string, string> {
  const source = readText(CONFIG_FILE);
  const defaults = new Map<string, string>();
  for (const [, name, value] of source.matchAll(/\benv(?:Duration)?\(\s*'([A-Z][A-Z0-9_]*)',\s*'([^']*)'\s*\)/g)) defaults.set(name, value);
  for (const [, name, value] of source.matchAll(/\benvNumber\(\s*'([A-Z][A-Z0-9_]*)',\s*(-?[\d_.]+)\s*\)/g))
    defaults.set(name, value.replace(/_/g, ''));
  for (const [, name, items] of source.matchAll(/\benvList\(\s*'([A-Z][A-Z0-9_]*)',\s*\[([^\]]*)\]\s*\)/g)) {
    defaults.set(name, [...items.matchAll(/'([^']*)'/g)].map((item) => item[1]).join(','));
  }
  for (const python of pythonConfigSources()) {
    for (const [, name, value] of python.matchAll(/\b_(?:env|duration_seconds)\(\s*"([A-Z][A-Z0-9_]*)",\s*"([^"]*)"\s*\)/g))
      defaults.set(name, value);
    for (const [, name, value] of python.matchAll(/\b_int\(\s*"([A-Z][A-Z0-9_]*)",\s*(-?[\d_]+)\s*\)/g))
      defaults.set(name, value.replace(/_/g, ''));
    for (const [, name, value] of python.matchAll(/\b_bool\(\s*"([A-Z][A-Z0-9_]*)",\s*(True|False)\s*\)/g))
      defaults.set(name, value.toLowerCase());
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
  const worker = workerSource(service);
  const workflows = listFiles('workflows', ['.ts']).map(readText).join('\n');
  const activitiesType = `${service[0].toUpperCase()}${service.slice(1)}Activities`;
  const kinds: string[] = [];
  if (/runsWorkflows:\s*true/.test(worker)) kinds.push('workflow');
  if (/\bactivities[:=]/.test(worker) && new RegExp(`\\bproxyActivities<${activitiesType}>`).test(workflows)) kinds.push('activity');
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
