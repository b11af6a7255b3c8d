import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { DCLinter } from 'dclint';
import {
  customSearchAttributes,
  databaseUrlVariable,
  parseSearchAttributeList,
  storeServices,
  workerCommand,
  workerQueues,
} from './support/code-facts';
import {
  appServices,
  interpolateDefaults,
  interpolatedVariables,
  interpolateWith,
  loadCompose,
  serviceCommand,
  serviceEnvironment,
  type ComposeService,
} from './support/compose';
import { preloadingInImage } from '../../scripts/demo/k8s/kubectl';
import type { Fault } from '../../scripts/demo/faults';
import { databaseUrl } from './support/databases';
import { durationSeconds, isRecord, readText, readYaml, ROOT } from './support/repo';

const compose = loadCompose();
const services = compose.services;

const workerService = (service: string): [string, ComposeService] => {
  const found = Object.entries(services).filter(([, candidate]) => serviceCommand(candidate).join(' ') === workerCommand(service as never));
  if (found.length !== 1) throw new Error(`expected one compose service running the ${service} worker, found ${found.length}`);
  return found[0];
};
const dependsOn = (service: ComposeService): Record<string, { condition: string }> =>
  isRecord(service.depends_on) ? (service.depends_on as Record<string, { condition: string }>) : {};

describe('docker-compose.yml is valid', () => {
  test('against the compose-spec JSON schema', () => {
    // The compose-spec schema as the dclint package ships it (draft-07, the current specification).
    const { $schema: draft, ...schema } = JSON.parse(
      readText(path.relative(ROOT, require.resolve('dclint/package.json')).replace(/package\.json$/, 'schemas/compose.schema.json')),
    );
    // Ajv's default dialect is draft-07; the file names it by an https URI Ajv does not register.
    expect(draft).toMatch(/draft-07/);
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
    const valid = validate(compose);
    expect(valid ? [] : validate.errors).toEqual([]);
    expect(validate({ ...compose, services: { ...services, api: { ...services.api, restart_policy: 'always' } } })).toBe(false);
  });

  test("and passes dclint's correctness and security rules", () => {
    const linter = new DCLinter({
      quiet: true,
      debug: false,
      exclude: [],
      rules: {
        'no-duplicate-container-names': 2,
        'no-duplicate-exported-ports': 2,
        'no-unbound-port-interfaces': 2,
        'no-version-field': 2,
        'require-project-name-field': 2,
        'require-quotes-in-ports': [2, { quoteType: 'double' }],
        'service-image-require-explicit-tag': 2,
        'no-quotes-in-volumes': 2,
        // Style rules: the file is ordered by startup (database, Temporal, app, monitoring), not alphabetically.
        'service-keys-order': 0,
        'services-alphabetical-order': 0,
        'service-dependencies-alphabetical-order': 0,
        'service-ports-alphabetical-order': 0,
        'top-level-properties-order': 0,
        'service-container-name-regex': 0,
        // One image for every app service: each builds it (cache makes the extra builds no-ops).
        'no-build-and-image': 0,
      },
    });
    const [result] = linter.lintFiles([path.join(ROOT, 'docker-compose.yml')], false);
    expect(result.messages.map((message) => `${message.rule}: ${message.message}`)).toEqual([]);
  });
});

describe('the application services', () => {
  test.each(workerQueues)('%s: a compose service runs its worker', (service) => {
    expect(workerService(service)).toBeDefined();
  });

  test.each(workerQueues)('%s: scales with --scale (no container_name, no published port)', (service) => {
    const [, definition] = workerService(service);
    expect(definition.container_name).toBeUndefined();
    expect(definition.ports).toBeUndefined();
  });

  test.each(workerQueues)('%s: stop_grace_period exceeds the worker shutdown grace time', (service) => {
    const [, definition] = workerService(service);
    const grace = serviceEnvironment(definition).WORKER_SHUTDOWN_GRACE_TIME;
    expect(durationSeconds(String(definition.stop_grace_period))).toBeGreaterThan(durationSeconds(grace));
  });

  test.each(appServices(compose))(
    '%s: has a healthcheck, a restart policy, a read-only root filesystem, and starts after Temporal is set up',
    (_, service) => {
      const probe = service.command?.toString() === 'python,-m,fraud' ? ['python', '-m', 'fraud.healthcheck'] : ['node', 'healthcheck.js'];
      expect(service.healthcheck).toMatchObject({ test: ['CMD', ...probe] });
      expect(service.restart).toBe('unless-stopped');
      expect(service.read_only).toBe(true);
      expect(dependsOn(service)['temporal-setup']).toEqual({ condition: 'service_completed_successfully' });
    },
  );

  test.each(appServices(compose).filter(([name]) => name !== 'fraud'))('%s: uses the one project image', (_, service) => {
    expect(service.image).toBe(services.api.image);
    expect(service.build).toEqual({ context: '.' });
  });

  test.each(workerQueues)('%s: mounts no volume, so its replicas keep nothing of their own', (service) => {
    const [, definition] = workerService(service);
    expect(definition.volumes).toBeUndefined();
  });

  test('no volume of the file holds a SQLite store of a service', () => {
    expect(Object.keys(compose.volumes as object)).toEqual(['postgres-data', 'services-postgres-data', 'prometheus-data', 'grafana-data']);
  });

  test('the fraud worker, in Python, is built from its own Dockerfile with a pinned tag', () => {
    const [, fraud] = workerService('fraud');
    expect(fraud.build).toEqual({ context: '.', dockerfile: 'deploy/docker/fraud.Dockerfile' });
    expect(fraud.image).toMatch(/^temporal-orders-fraud:\d+\.\d+\.\d+$/);
    expect(readText('deploy/docker/fraud.Dockerfile')).toMatch(/^CMD \["python", "-m", "fraud"\]$/m);
  });

  test('the API is published on PORT and has no worker health port (its healthcheck probes PORT)', () => {
    const api = Object.values(services).find((service) => serviceCommand(service).join(' ') === 'node dist/services/api/server.js')!;
    const environment = serviceEnvironment(api);
    expect((api.ports as string[]).map((port) => interpolateDefaults(port).split(':').pop())).toEqual([environment.PORT]);
    expect(environment.WORKER_HEALTH_PORT).toBeUndefined();
  });
});

describe("the services' stores in compose: one database and one user each, on their own PostgreSQL", () => {
  const stores = storeServices();
  const setup = () => services['services-db-setup'];
  const urlOf = (service: (typeof stores)[number]) => serviceEnvironment(workerService(service)[1])[databaseUrlVariable(service)];
  /** The URL as compose makes it once .env gives every password it names. */
  const withPasswords = (url: string) =>
    interpolateWith(url, Object.fromEntries(interpolatedVariables(url).map(({ name }) => [name, 'p'])));

  test('the services with a store are found in their worker (worker.ts, or the Python worker module)', () => {
    expect([...stores].sort()).toEqual(['email', 'fraud', 'inventory', 'payment', 'shipping']);
  });

  test.each(stores)("%s: its worker gets its URL, to the services' PostgreSQL, with a password compose requires from .env", (service) => {
    const url = urlOf(service);
    const passwords = interpolatedVariables(url);
    expect(passwords).toEqual([
      {
        name: expect.stringMatching(/_PASSWORD$/),
        fallback: undefined,
        required: { message: expect.stringMatching(/\.env\.example/), emptyRejected: true },
      },
    ]);
    const parsed = databaseUrl(withPasswords(url));
    expect(parsed).toMatchObject({ host: 'services-postgresql', port: '5432', password: 'p' });
    expect(services[parsed.host]).toBeDefined();
  });

  test('no two services share a database user, a database or a password variable, and none is a superuser', () => {
    const parsed = stores.map((service) => ({
      ...databaseUrl(withPasswords(urlOf(service))),
      variable: interpolatedVariables(urlOf(service))[0].name,
    }));
    for (const key of ['user', 'database', 'variable'] as const) expect(new Set(parsed.map((url) => url[key])).size).toBe(stores.length);
    const superusers = [
      serviceEnvironment(services['services-postgresql']).POSTGRES_USER,
      serviceEnvironment(services.postgresql).POSTGRES_USER,
    ];
    for (const { user } of parsed) expect(superusers).not.toContain(user);
  });

  test('each app service gets its own database URL only, and the API and the orders worker none', () => {
    for (const [name, service] of appServices(compose)) {
      const own = stores.find((store) => workerService(store)[0] === name);
      const urls = Object.keys(serviceEnvironment(service)).filter((variable) => variable.endsWith('_DATABASE_URL'));
      expect({ [name]: urls }).toEqual({ [name]: own ? [databaseUrlVariable(own)] : [] });
    }
  });

  test("the services' PostgreSQL is a server of its own, not Temporal's, with a required superuser password", () => {
    const server = services['services-postgresql'];
    expect(String(server.image)).toMatch(/^postgres:/);
    expect(server.ports).toBeUndefined();
    expect(serviceEnvironment(services.temporal).POSTGRES_SEEDS).not.toBe('services-postgresql');
    expect(interpolatedVariables(serviceEnvironment(server).POSTGRES_PASSWORD)).toEqual([
      { name: 'SERVICES_POSTGRES_PASSWORD', fallback: undefined, required: expect.objectContaining({ emptyRejected: true }) },
    ]);
  });

  test('a one-shot job creates the users and databases from the same URLs, after the server is healthy, and the workers with a store start after it', () => {
    const job = setup();
    expect(dependsOn(job)['services-postgresql']).toEqual({ condition: 'service_healthy' });
    expect(job.entrypoint).toEqual(['/bin/sh', '/setup/create-service-databases.sh']);
    expect(job.volumes).toEqual(['./k8s/services-postgres/create-service-databases.sh:/setup/create-service-databases.sh:ro']);
    const environment = serviceEnvironment(job);
    for (const service of stores) expect({ [service]: environment[databaseUrlVariable(service)] }).toEqual({ [service]: urlOf(service) });
    expect(environment.PGHOST).toBe('services-postgresql');
    expect(environment.PGPASSWORD).toBe(serviceEnvironment(services['services-postgresql']).POSTGRES_PASSWORD);
    for (const service of stores)
      expect(dependsOn(workerService(service)[1])['services-db-setup']).toEqual({ condition: 'service_completed_successfully' });
  });

  test('the email worker writes its outbox to a tmpfs below DATA_DIR, the one writable place there', () => {
    const [, email] = workerService('email');
    expect(email.tmpfs).toEqual(['/tmp', `${serviceEnvironment(email).DATA_DIR}/outbox`]);
  });
});

describe('the API requires a key in compose', () => {
  const api = () => Object.values(services).find((service) => serviceCommand(service).join(' ') === 'node dist/services/api/server.js')!;

  test('API_KEY is a required variable: compose refuses to run, unset or empty, and says where to set it', () => {
    const value = serviceEnvironment(api()).API_KEY;
    // `${API_KEY:?message}` and nothing else: no default, no text around it; the colon form rejects an empty value too.
    expect(interpolatedVariables(value)).toEqual([
      { name: 'API_KEY', fallback: undefined, required: { message: expect.stringMatching(/\.env\.example/), emptyRejected: true } },
    ]);
    expect(value).toMatch(/^\$\{API_KEY:\?[^}]+\}$/);
    expect(() => interpolateDefaults(value)).toThrow(/required variable API_KEY/);
  });

  test('only the API gets the key (the workers never need it)', () => {
    expect(
      Object.entries(services)
        .filter(([, service]) => 'API_KEY' in serviceEnvironment(service))
        .map(([name]) => name),
    ).toEqual(['api']);
  });
});

describe('Temporal in compose', () => {
  test('runs the server image on PostgreSQL, never the deprecated auto-setup image', () => {
    for (const service of Object.values(services)) expect(String(service.image)).not.toMatch(/auto-setup/);
    const temporal = services.temporal;
    expect(String(temporal.image)).toMatch(/^temporalio\/server:/);
    expect(serviceEnvironment(temporal)).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  });

  test('the schema is set up by admin-tools after PostgreSQL is healthy, and the server starts after it', () => {
    const schema = services['temporal-schema'];
    expect(String(schema.image)).toMatch(/^temporalio\/admin-tools:/);
    expect(schema.entrypoint).toEqual(['/bin/sh', '/deploy/setup-schema.sh']);
    expect(dependsOn(schema).postgresql).toEqual({ condition: 'service_healthy' });
    expect(dependsOn(services.temporal)['temporal-schema']).toEqual({ condition: 'service_completed_successfully' });
    expect(readText('deploy/temporal/setup-schema.sh')).toMatch(/temporal-sql-tool/);
  });

  test('the setup job creates the namespace the app uses and every custom search attribute with its type', () => {
    const setup = serviceEnvironment(services['temporal-setup']);
    expect(parseSearchAttributeList(setup.SEARCH_ATTRIBUTES)).toEqual(customSearchAttributes);
    expect(setup.TEMPORAL_NAMESPACE).toBe(serviceEnvironment(services.api).TEMPORAL_NAMESPACE);
    expect(interpolateDefaults(setup.TEMPORAL_ADDRESS)).toBe(interpolateDefaults(serviceEnvironment(services.api).TEMPORAL_ADDRESS));
    expect(services['temporal-setup'].entrypoint).toEqual(['/bin/sh', '/deploy/setup-namespace.sh']);
  });

  test('one-shot jobs never restart; long-running services always come back', () => {
    for (const [name, service] of Object.entries(services)) {
      const oneShot = Object.values(services).some((other) => dependsOn(other)[name]?.condition === 'service_completed_successfully');
      expect({ [name]: service.restart }).toEqual({ [name]: oneShot ? 'no' : 'unless-stopped' });
    }
  });

  test('every dependency names a service of the file', () => {
    for (const service of Object.values(services))
      for (const dependency of Object.keys(dependsOn(service))) expect(Object.keys(services)).toContain(dependency);
  });

  test.each(['deploy/temporal/setup-schema.sh', 'deploy/temporal/setup-namespace.sh'])('%s is valid POSIX sh', (script) => {
    expect(() => execFileSync('sh', ['-n', path.join(ROOT, script)])).not.toThrow();
  });

  test('the setup job retries a namespace registration the frontend refuses, as it does when several jobs start at once', () => {
    // A stand-in for the `temporal` CLI, to test the script's control flow: it refuses the first create
    // with the frontend's rate-limit error, the way the cluster tests' server refused it in a CI run.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setup-namespace-'));
    const cli = path.join(dir, 'temporal');
    fs.writeFileSync(
      cli,
      `#!/bin/sh
case "$2 $3" in
  "cluster health") exit 0 ;;
  "namespace describe") [ -e "${dir}/created" ] ;;
  "namespace create")
    echo create >> "${dir}/creates"
    if [ "$(wc -l < "${dir}/creates")" -eq 1 ]; then echo "Error: unable to create namespace: service rate limit exceeded" >&2; exit 1; fi
    touch "${dir}/created" ;;
  "search-attribute list") echo OrderStatus ;;
  *) exit 2 ;;
esac
`,
      { mode: 0o755 },
    );
    try {
      const output = execFileSync('sh', [path.join(ROOT, 'deploy/temporal/setup-namespace.sh')], {
        env: {
          PATH: process.env.PATH,
          TEMPORAL_CLI: cli,
          TEMPORAL_ADDRESS: '127.0.0.1:1',
          TEMPORAL_NAMESPACE: 'orders',
          SEARCH_ATTRIBUTES: 'OrderStatus=Keyword',
        },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(output).toMatch(/namespace orders is ready/);
      expect(fs.readFileSync(path.join(dir, 'creates'), 'utf8').trim().split('\n')).toHaveLength(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every file compose mounts exists', () => {
    for (const service of Object.values(services)) {
      for (const volume of (service.volumes as string[] | undefined) ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect(() => readText(source)).not.toThrow(/ENOENT/);
      }
    }
  });
});

describe('the monitoring profile', () => {
  const prometheusConfig = readYaml('deploy/prometheus/prometheus.yml') as {
    scrape_configs: { job_name: string; static_configs?: { targets: string[] }[]; dns_sd_configs?: { names: string[]; port: number }[] }[];
  };

  test('Prometheus and Grafana run only with --profile monitoring', () => {
    expect(services.prometheus.profiles).toEqual(['monitoring']);
    expect(services.grafana.profiles).toEqual(['monitoring']);
    for (const [name, service] of Object.entries(services))
      if (!['prometheus', 'grafana'].includes(name)) expect(service.profiles).toBeUndefined();
  });

  test('Prometheus scrapes every replica of every worker on its metrics port', () => {
    const workers = prometheusConfig.scrape_configs.find((job) => job.job_name === 'workers')!;
    const [discovery] = workers.dns_sd_configs!;
    expect(discovery.names.sort()).toEqual(workerQueues.map(([service]) => workerService(service)[0]).sort());
    for (const [service] of workerQueues) {
      expect(serviceEnvironment(workerService(service)[1]).METRICS_BIND_ADDRESS).toBe(`0.0.0.0:${discovery.port}`);
    }
  });

  test("Prometheus scrapes the Temporal server's metrics endpoint", () => {
    const server = prometheusConfig.scrape_configs.find((job) => job.job_name === 'temporal-server')!;
    const port = serviceEnvironment(services.temporal).PROMETHEUS_ENDPOINT.split(':').pop();
    expect(server.static_configs![0].targets).toEqual([`temporal:${port}`]);
  });

  test('Grafana is provisioned with the Prometheus datasource and a dashboard whose every panel queries it', () => {
    const datasources = readYaml('deploy/grafana/provisioning/datasources/prometheus.yml') as {
      datasources: { uid: string; url: string }[];
    };
    const [datasource] = datasources.datasources;
    expect(datasource.url).toBe('http://prometheus:9090');
    const providers = readYaml('deploy/grafana/provisioning/dashboards/dashboards.yml') as { providers: { options: { path: string } }[] };
    const dashboardsMount = (services.grafana.volumes as string[]).find((volume) => volume.startsWith('./deploy/grafana/dashboards:'))!;
    expect(dashboardsMount.split(':')[1]).toBe(providers.providers[0].options.path);

    const dashboard = JSON.parse(readText('deploy/grafana/dashboards/temporal-orders.json')) as {
      panels: { type: string; title: string; datasource?: { uid: string }; targets?: { expr: string }[] }[];
    };
    const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(8);
    for (const panel of panels) {
      expect({ [panel.title]: panel.datasource?.uid }).toEqual({ [panel.title]: datasource.uid });
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets!) expect(target.expr).toMatch(/\S/);
    }
    const queries = panels.flatMap((panel) => panel.targets!.map((target) => target.expr)).join('\n');
    expect(queries).toMatch(/temporal_activity_schedule_to_start_latency/);
    expect(queries).toMatch(/approximate_backlog_count/);
  });
});

describe("the live demo's bugged builds with compose", () => {
  const overrides: [string, string, Fault][] = [
    ['deploy/demo/bugged-shipping.compose.yml', 'shipping', 'labelBug'],
    ['deploy/demo/bugged-workflow-code.compose.yml', 'orders', 'workflowCodeBug'],
  ];

  test.each(overrides)('%s changes only the %s worker: it preloads the fault from the image', (file, service, fault) => {
    const override = readYaml(file) as { services: Record<string, { environment: Record<string, string> }> };
    expect(Object.keys(override)).toEqual(['services']);
    expect(override.services).toEqual({ [service]: { environment: { NODE_OPTIONS: preloadingInImage(fault) } } });
    expect(serviceCommand(services[service]).join(' ')).toBe(workerCommand(service as never));
  });

  test('docker-compose.yml itself preloads nothing', () => {
    for (const [name, service] of appServices(compose))
      expect({ [name]: serviceEnvironment(service).NODE_OPTIONS }).toEqual({ [name]: undefined });
  });
});

describe('payload encryption and the codec server in compose', () => {
  test('every app service requires ENCRYPTION_KEYS (unset or empty, compose refuses to run) and refuses to start without keys', () => {
    for (const [name, service] of appServices(compose)) {
      const environment = serviceEnvironment(service);
      expect({ [name]: interpolatedVariables(environment.ENCRYPTION_KEYS) }).toEqual({
        [name]: [
          {
            name: 'ENCRYPTION_KEYS',
            fallback: undefined,
            required: { message: expect.stringMatching(/\.env\.example/), emptyRejected: true },
          },
        ],
      });
      expect({ [name]: environment.REQUIRE_ENCRYPTION }).toEqual({ [name]: 'true' });
    }
  });

  test('the API refuses to start without a key, and the Web UI decodes payloads through its codec server, which allows the UI origin', () => {
    const api = serviceEnvironment(services.api);
    expect(api.REQUIRE_API_KEY).toBe('true');
    const ui = serviceEnvironment(services['temporal-ui']);
    const apiPort = interpolateDefaults(String((services.api.ports as string[])[0])).split(':')[1];
    expect(interpolateDefaults(ui.TEMPORAL_CODEC_ENDPOINT)).toBe(`http://localhost:${apiPort}/codec`);
    expect(interpolateDefaults(api.CODEC_CORS_ORIGINS)).toBe(interpolateDefaults(ui.TEMPORAL_CORS_ORIGINS));
  });

  test('the mTLS override mounts the certificates as compose secrets into every app service and points the TLS settings at them', () => {
    const override = readYaml('deploy/temporal-mtls.compose.yml') as {
      services: Record<string, ComposeService>;
      secrets: Record<string, { file: string }>;
    };
    expect(Object.keys(override.services).sort()).toEqual(
      appServices(compose)
        .map(([name]) => name)
        .sort(),
    );
    for (const service of Object.values(override.services)) {
      const environment = serviceEnvironment(service);
      for (const setting of ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH']) {
        const secret = environment[setting].replace(/^\/run\/secrets\//, '');
        expect((service.secrets as string[]) ?? []).toContain(secret);
        expect(override.secrets[secret].file).toMatch(/^\$\{TEMPORAL_TLS_DIR:\?/);
      }
    }
  });
});
