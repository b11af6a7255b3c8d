import { configLiteralDefaults, configVariables } from './support/code-facts';
import {
  appServices,
  interpolatedVariables,
  interpolateDefaults,
  interpolationCount,
  loadCompose,
  serviceEnvironment,
} from './support/compose';
import { documentedVariables } from './support/env-example';
import { kustomize, named, ofKind, type K8sObject, type Workload } from './support/kubernetes';
import { imageTag, listFiles, readText, readYamlDocuments } from './support/repo';

/**
 * Variables the code reads that compose and k8s deliberately leave unset. Each is still
 * documented in .env.example; the code's default is right in containers.
 */
const UNSET_IN_CONTAINERS: Record<string, string> = {
  // The SQLite files are not used: every store's *_DATABASE_URL is set.
  PAYMENT_DB_PATH: 'PAYMENT_DATABASE_URL is set',
  INVENTORY_DB_PATH: 'INVENTORY_DATABASE_URL is set',
  SHIPPING_DB_PATH: 'SHIPPING_DATABASE_URL is set',
  EMAIL_DB_PATH: 'EMAIL_DATABASE_URL is set',
  FRAUD_DB_PATH: 'FRAUD_DATABASE_URL is set',
  // DATA_DIR/outbox, the one writable folder below DATA_DIR (a tmpfs in compose, an emptyDir on k8s).
  EMAIL_OUTBOX_DIR: 'defaults to DATA_DIR/outbox',
  // Files mounted from Secrets only where mTLS is used: deploy/temporal-mtls.compose.yml and k8s/components/temporal-mtls set them.
  TEMPORAL_TLS_CLIENT_CERT_PATH: 'set by the mTLS override and component',
  TEMPORAL_TLS_CLIENT_KEY_PATH: 'set by the mTLS override and component',
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: 'set by the mTLS override and component',
  // Containers take the TEMPORAL_* settings one by one; a profile file is for a machine with several clusters.
  TEMPORAL_CONFIG_FILE: 'the TEMPORAL_* settings are set directly',
  TEMPORAL_PROFILE: 'the TEMPORAL_* settings are set directly',
  // Containers take the keys from the Secret as ENCRYPTION_KEYS.
  ENCRYPTION_KEYS_FILE: 'ENCRYPTION_KEYS comes from the Secret',
  // Each worker Deployment sets it from its pod's app.kubernetes.io/version label, not the ConfigMap.
  // Unset, a worker runs as many activities at once as the SDK allows; the demo's surge scene sets it.
  WORKER_MAX_CONCURRENT_ACTIVITIES: "unset: the SDK's default",
  WORKER_BUILD_ID: 'per Deployment, from its version label',
};

const codeVariables = configVariables();
const documented = documentedVariables();
const compose = loadCompose();
const composeText = readText('docker-compose.yml');
const composeAppEnv = (): Record<string, string> =>
  Object.assign({}, ...appServices(compose).map(([, service]) => serviceEnvironment(service)));
const production = kustomize('k8s/overlays/production');
const configMap = named(ofKind<K8sObject & { data: Record<string, string> }>(production, 'ConfigMap'), 'app-config').data;
/** The application's Secrets as their templates describe them: app-secrets, and each service's database Secret. */
const secretTemplates = ['k8s/base/app-secrets.template.yaml', 'k8s/base/database-secrets.template.yaml'].flatMap(
  (file) => readYamlDocuments(file) as (K8sObject & { stringData: Record<string, string> })[],
);
const secretNames = secretTemplates.map((secret) => secret.metadata.name);
/** The Secrets' keys: the templates' entries, and those a Deployment requires of them by name (API_KEY has no entry: an empty one turns the check off). */
const secretKeys = [
  ...secretTemplates.flatMap((secret) => Object.keys(secret.stringData)),
  ...ofKind<Workload>(production, 'Deployment').flatMap((deployment) =>
    deployment.spec.template.spec.containers.flatMap((container) =>
      (container.env ?? []).flatMap(({ valueFrom }) =>
        valueFrom?.secretKeyRef && secretNames.includes(valueFrom.secretKeyRef.name) ? [valueFrom.secretKeyRef.key] : [],
      ),
    ),
  ),
];

describe('every environment variable the code reads', () => {
  test("is found in services/common/config.ts and the fraud worker's settings", () => {
    // Guards the parser itself: these are read there today.
    expect(codeVariables).toEqual(
      expect.arrayContaining([
        'TEMPORAL_ADDRESS',
        'WORKER_SHUTDOWN_GRACE_TIME',
        'SMTP_URL',
        'PAYMENT_DECLINED_TOKENS',
        'FRAUD_DATABASE_URL',
        'FRAUD_REVIEW_ABOVE_CENTS',
      ]),
    );
  });

  test.each(codeVariables)('%s is documented in the application section of .env.example', (name) => {
    expect(documented.filter((variable) => variable.section === 'application').map((variable) => variable.name)).toContain(name);
  });

  test.each(codeVariables.filter((name) => !(name in UNSET_IN_CONTAINERS)))(
    '%s is set for the app services in docker-compose.yml',
    (name) => {
      expect(Object.keys(composeAppEnv())).toContain(name);
    },
  );

  test.each(codeVariables.filter((name) => !(name in UNSET_IN_CONTAINERS)))(
    '%s is set in the k8s ConfigMap or is a key of the Secret',
    (name) => {
      expect([...Object.keys(configMap), ...secretKeys]).toContain(name);
    },
  );

  test('the allow-list of variables left unset names only variables the code reads', () => {
    for (const name of Object.keys(UNSET_IN_CONTAINERS)) expect(codeVariables).toContain(name);
  });
});

describe('no configuration the code does not read', () => {
  test('every variable of the application section of .env.example is read by the code', () => {
    const stale = documented.filter((variable) => variable.section === 'application' && !codeVariables.includes(variable.name));
    expect(stale.map((variable) => variable.name)).toEqual([]);
  });

  test('every key of the ConfigMap and the Secret is read by the code', () => {
    expect([...Object.keys(configMap), ...secretKeys].filter((name) => !codeVariables.includes(name))).toEqual([]);
  });

  test('every variable the compose app services set is read by the code', () => {
    expect(Object.keys(composeAppEnv()).filter((name) => !codeVariables.includes(name))).toEqual([]);
  });

  test('no variable is both in the ConfigMap and in the Secret', () => {
    expect(Object.keys(configMap).filter((name) => secretKeys.includes(name))).toEqual([]);
  });
});

describe('documented values agree', () => {
  test(".env.example gives the code's own defaults", () => {
    const defaults = configLiteralDefaults();
    expect(defaults.size).toBeGreaterThan(5);
    for (const variable of documented.filter((variable) => variable.value !== undefined && defaults.has(variable.name))) {
      expect({ [variable.name]: variable.value }).toEqual({ [variable.name]: defaults.get(variable.name) });
    }
  });

  test('every ${...} in docker-compose.yml is a form these tests read (a default, or a required variable)', () => {
    expect(interpolatedVariables(composeText)).toHaveLength(interpolationCount(composeText));
  });

  test('a variable compose passes through from .env defaults to the documented value; a required one is documented with no value', () => {
    const references = interpolatedVariables(composeText);
    expect(references.length).toBeGreaterThan(0);
    for (const { name, fallback, required } of references) {
      const variable = documented.find((candidate) => candidate.name === name);
      expect({ [name]: variable ? 'documented' : 'missing from .env.example' }).toEqual({ [name]: 'documented' });
      // A required variable (a secret) has no value in .env.example: a copied .env must not run with a published one.
      if (required) expect({ [name]: variable!.value ?? '' }).toEqual({ [name]: '' });
      else expect({ [name]: fallback ?? '' }).toEqual({ [name]: variable!.value ?? '' });
    }
  });

  test('every compose setting of .env.example is used by docker-compose.yml', () => {
    const used = new Set(interpolatedVariables(composeText).map((reference) => reference.name));
    expect(
      documented.filter((variable) => variable.section === 'compose' && !used.has(variable.name)).map((variable) => variable.name),
    ).toEqual([]);
  });

  test('compose and k8s wire the processes the same way', () => {
    const api = serviceEnvironment(compose.services.api);
    const shipping = serviceEnvironment(compose.services.shipping);
    for (const name of ['TEMPORAL_NAMESPACE', 'HOST', 'PORT', 'DATA_DIR', 'LOG_LEVEL']) {
      expect({ [name]: interpolateDefaults(api[name]) }).toEqual({ [name]: configMap[name] });
    }
    for (const name of [
      'WORKER_SHUTDOWN_GRACE_TIME',
      'WORKER_HEALTH_PORT',
      'METRICS_BIND_ADDRESS',
      'PAYMENT_DECLINED_TOKENS',
      'EMAIL_FROM',
    ]) {
      expect({ [name]: interpolateDefaults(shipping[name]) }).toEqual({ [name]: configMap[name] });
    }
  });
});

describe('every image is pinned to a version', () => {
  const images = (): [string, string][] => {
    const found: [string, string][] = [];
    for (const [name, service] of Object.entries(compose.services))
      found.push([`docker-compose.yml ${name}`, interpolateDefaults(String(service.image))]);
    const objects = [
      ...['k8s/base', 'k8s/overlays/production', 'k8s/temporal/dev-server', 'k8s/services-postgres'].flatMap((dir) => kustomize(dir)),
      ...listFiles('k8s', ['.yaml'])
        .filter((file) => !file.endsWith('kustomization.yaml') && !file.endsWith('values.yaml'))
        .flatMap((file) => readYamlDocuments(file) as K8sObject[]),
    ];
    for (const object of objects.filter((object): object is Workload => ['Deployment', 'StatefulSet', 'Job'].includes(object.kind))) {
      for (const container of object.spec.template.spec.containers) found.push([`${object.kind} ${object.metadata.name}`, container.image]);
    }
    const [values] = readYamlDocuments('k8s/temporal/helm/values.yaml') as Record<string, { image: { repository: string; tag: string } }>[];
    for (const component of ['server', 'admintools', 'web'])
      found.push([`helm ${component}`, `${values[component].image.repository}:${values[component].image.tag}`]);
    return found;
  };

  test.each(images())('%s: %s', (_, image) => {
    // At least major.minor (PostgreSQL's versions have two parts): never latest, never a bare major.
    expect(imageTag(image).tag).toMatch(/^v?\d+\.\d+(\.\d+)?(-[\w.-]+)?$/);
  });

  test("the project's image carries the package version, in compose and in k8s", () => {
    const version = JSON.parse(readText('package.json')).version as string;
    // The fraud worker is Python: an image of its own, at the same version.
    const imageOf = (name: string) => (/^fraud(-worker)?$/.test(name) ? `temporal-orders-fraud:${version}` : `temporal-orders:${version}`);
    for (const [name, service] of appServices(compose)) expect(interpolateDefaults(String(service.image))).toBe(imageOf(name));
    for (const deployment of ofKind<Workload>(production, 'Deployment'))
      expect(deployment.spec.template.spec.containers[0].image).toBe(imageOf(deployment.metadata.name));
  });

  test('Temporal runs the same versions in compose and on Kubernetes, admin-tools matching the server', () => {
    const versionOf = (repository: string): Set<string> =>
      new Set(
        images()
          .map(([, image]) => imageTag(image))
          .filter(({ name }) => name === repository)
          .map(({ tag }) => tag!),
      );
    const server = versionOf('temporalio/server');
    expect([...server]).toHaveLength(1);
    expect([...versionOf('temporalio/admin-tools')]).toEqual([...server]);
    expect([...versionOf('temporalio/ui')]).toHaveLength(1);
  });
});

describe('compose interpolation helpers', () => {
  test('take the default of ${NAME:-default}, and nothing for ${NAME}', () => {
    expect(interpolateDefaults('127.0.0.1:${API_PORT:-3000}:3000 ${SMTP_URL:-} ${X}')).toBe('127.0.0.1:3000:3000  ');
  });

  test('fail on a required variable, as compose does, and tell ${NAME:?message} from ${NAME?message}', () => {
    expect(() => interpolateDefaults('${API_KEY:?set it}')).toThrow('required variable API_KEY is missing a value: set it');
    expect(interpolatedVariables('${A:?set A} ${B?set B} ${C-c}')).toEqual([
      { name: 'A', fallback: undefined, required: { message: 'set A', emptyRejected: true } },
      { name: 'B', fallback: undefined, required: { message: 'set B', emptyRejected: false } },
      { name: 'C', fallback: 'c' },
    ]);
  });
});
