import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { fraudPython } from '../../scripts/lib/launcher';
import { openDatabase, type Schema } from '../../services/common/database';
import { emailSchema } from '../../services/email/store';
import { inventorySchema } from '../../services/inventory/store';
import { paymentSchema } from '../../services/payment/store';
import { shippingSchema } from '../../services/shipping/store';
import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres';
import type { ServiceName } from '../../workflows/task-queues';
import { databaseUrlVariable, storeServices, workerCommand } from './support/code-facts';
import { interpolatedVariables, interpolateWith, loadCompose, serviceCommand, serviceEnvironment } from './support/compose';
import { databaseUrl } from './support/databases';
import { ROOT } from './support/repo';

// Runs the services' database setup script, as compose's services-db-setup job runs it (its
// environment, with .env's passwords), against a real PostgreSQL on loopback; then connects as
// each worker would, with the URL compose gives it, and migrates its schema with its own store code.

const run = promisify(execFile);
const compose = loadCompose().services;
const job = compose['services-db-setup'];
const script = path.join(ROOT, (job.volumes as string[])[0].split(':')[0]);
const schemas: Partial<Record<ServiceName, Schema>> = {
  payment: paymentSchema,
  inventory: inventorySchema,
  shipping: shippingSchema,
  email: emailSchema,
};

/** Opens the service's store at `url` as its worker does at start, which migrates its schema, then closes it. */
async function migrate(service: ServiceName, url: string): Promise<void> {
  const variable = databaseUrlVariable(service);
  if (service === 'fraud') {
    // The Python worker's own settings and store (services/fraud/fraud), in the venv scripts/python.sh makes.
    const opening = 'from fraud.config import load_config; from fraud.store import FraudStore; FraudStore(load_config().database).open()';
    await run(fraudPython, ['-c', opening], { env: { PATH: process.env.PATH, [variable]: url } });
    return;
  }
  const database = await openDatabase({ urlVariable: variable, url, sqliteFile: '/nonexistent', poolMax: 2 }, schemas[service]!);
  await database.close();
}
const stores = storeServices();
const workerOf = (service: ServiceName) =>
  Object.values(compose).find((candidate) => serviceCommand(candidate).join(' ') === workerCommand(service))!;

let server: PostgresServer;
/** What .env gives: a fresh password for each variable the setup job interpolates. */
let dotEnv: Record<string, string>;

/** A value of compose's, interpolated with .env, its server address moved to the test server. */
const onTestServer = (value: string, env = dotEnv): string =>
  interpolateWith(value, env).replace(/@services-postgresql:5432\//, `@${server.host}:${server.port}/`);
/** The URL compose gives a service's worker. */
const workerUrl = (service: ServiceName, env = dotEnv): string =>
  onTestServer(serviceEnvironment(workerOf(service))[databaseUrlVariable(service)], env);

/** Runs the script with the job's environment; the superuser is the test server's own. */
async function runSetup(overrides: Record<string, string> = {}, env = dotEnv): Promise<{ stdout: string; stderr: string }> {
  const environment = Object.fromEntries(Object.entries(serviceEnvironment(job)).map(([name, value]) => [name, onTestServer(value, env)]));
  return run('sh', [script], {
    env: {
      PATH: process.env.PATH,
      ...environment,
      PGHOST: server.host,
      PGPORT: String(server.port),
      PGPASSWORD: databaseUrl(server.url()).password,
      ...overrides,
    },
  });
}

async function asUser<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  server = await startPostgres();
  const variables = Object.values(serviceEnvironment(job)).flatMap((value) => interpolatedVariables(value).map(({ name }) => name));
  dotEnv = Object.fromEntries(variables.map((name) => [name, randomBytes(24).toString('hex')]));
  await runSetup();
}, 60_000);

afterAll(() => server?.destroy());

test('the job creates a user and a database per service; each worker, with its URL, migrates its schema as that user', async () => {
  expect([...stores].sort()).toEqual([...Object.keys(schemas), 'fraud'].sort());
  for (const service of stores) {
    const url = workerUrl(service);
    await migrate(service, url);
    const { user, database: name } = databaseUrl(url);
    expect(
      await asUser(url, async (client) => ({
        ...(await client.query('select current_user as user, current_database() as db')).rows[0],
        migrated: (await client.query('select distinct service from schema_migrations')).rows,
        owners: (await client.query(`select distinct tableowner from pg_tables where schemaname = 'public'`)).rows,
      })),
    ).toEqual({ user, db: name, migrated: [{ service }], owners: [{ tableowner: user }] });
  }
});

test("no service's user can connect to another service's database, and none can create users or databases", async () => {
  const [first, second] = stores;
  const intruder = databaseUrl(workerUrl(first));
  const elsewhere = workerUrl(first).replace(new RegExp(`/${intruder.database}$`), `/${databaseUrl(workerUrl(second)).database}`);
  await expect(asUser(elsewhere, (client) => client.query('select 1'))).rejects.toThrow(/permission denied for database/);
  for (const service of stores) {
    const privileges = await asUser(
      workerUrl(service),
      async (client) =>
        (await client.query('select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user')).rows[0],
    );
    expect({ service, ...privileges }).toEqual({ service, rolsuper: false, rolcreaterole: false, rolcreatedb: false });
  }
});

test('run again, it changes nothing but a password that .env changed', async () => {
  const [service] = stores;
  const variable = interpolatedVariables(serviceEnvironment(workerOf(service))[databaseUrlVariable(service)])[0].name;
  const changed = { ...dotEnv, [variable]: randomBytes(24).toString('hex') };
  const { stdout } = await runSetup({}, changed);
  expect(stdout.trim().split('\n')).toHaveLength(stores.length);
  await expect(asUser(workerUrl(service, changed), (client) => client.query('select 1'))).resolves.toBeDefined();
  await expect(asUser(workerUrl(service), (client) => client.query('select 1'))).rejects.toThrow(/password authentication failed/);
  await runSetup();
});

test('two services given one user are refused, in one line naming the variable', async () => {
  const [first, second] = stores;
  const shared = workerUrl(first).replace(/\/\w+$/, `/${databaseUrl(workerUrl(second)).database}`);
  const failure = await runSetup({ [databaseUrlVariable(second)]: shared }).catch((err: { code: number; stderr: string }) => err);
  expect(failure).toMatchObject({
    code: 1,
    stderr: `create-service-databases: ${databaseUrlVariable(second)}: its user or database is another service's: give each service its own\n`,
  });
});

test('a password that the URL would have to percent-encode is refused, naming the variable', async () => {
  const [service] = stores;
  const url = workerUrl(service).replace(/:[^:@/]+@/, `:${'a'.repeat(20)}%40b@`);
  const failure = await runSetup({ [databaseUrlVariable(service)]: url }).catch((err: { code: number; stderr: string }) => err);
  expect(failure).toMatchObject({
    code: 1,
    stderr: expect.stringMatching(new RegExp(`^create-service-databases: ${databaseUrlVariable(service)}: the password must be`)),
  });
});
