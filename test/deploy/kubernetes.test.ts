import path from 'node:path';
import {
  apiEntryPoint,
  apiRoutes,
  customSearchAttributes,
  databaseUrlVariable,
  parseSearchAttributeList,
  storeServices,
  workerCommand,
  workerHealthPaths,
  workerQueues,
  workerTaskKinds,
} from './support/code-facts';
import {
  kustomize,
  named,
  ofKind,
  probePort,
  validateObject,
  type Container,
  type K8sObject,
  type PersistentVolumeClaim,
  type Workload,
} from './support/kubernetes';
import { loadCompose } from './support/compose';
import { autoscalersOf, pinnedToOnePod } from './support/scaling';
import { preloadingInImage } from '../../scripts/demo/k8s/kubectl';
import { durationSeconds, isRecord, listFiles, readText, readYamlDocuments } from './support/repo';

const APP_NAMESPACE = 'temporal-orders';
const KUSTOMIZATIONS = [
  'k8s/base',
  'k8s/overlays/production',
  'k8s/overlays/production-mtls',
  'k8s/overlays/production-hpa',
  'k8s/overlays/bugged-shipping',
  'k8s/overlays/fixed-shipping',
  'k8s/temporal/dev-server',
  'k8s/services-postgres',
];
/** YAML files under k8s/ that are not Kubernetes objects. */
const NOT_OBJECTS = ['kustomization.yaml', 'k8s/temporal/helm/values.yaml'];

/** The kustomizations that render the application (all but Temporal's dev server and the services' dev PostgreSQL). */
const APP_KUSTOMIZATIONS = KUSTOMIZATIONS.filter((dir) => !['k8s/temporal/dev-server', 'k8s/services-postgres'].includes(dir));

const rendered = new Map(KUSTOMIZATIONS.map((dir) => [dir, kustomize(dir)]));
const production = rendered.get('k8s/overlays/production')!;
const configMapOf = (objects: K8sObject[]) =>
  named(ofKind<K8sObject & { data: Record<string, string> }>(objects, 'ConfigMap'), 'app-config').data;
const configMap = configMapOf(production);
const deployments = ofKind<Workload>(production, 'Deployment');

const mainContainer = (workload: Workload): Container => workload.spec.template.spec.containers[0];
const runs = (container: Container): string => [...(container.command ?? []), ...(container.args ?? [])].join(' ');
const workerDeploymentIn = (objects: K8sObject[], service: string): Workload => {
  const found = ofKind<Workload>(objects, 'Deployment').filter(
    (deployment) => runs(mainContainer(deployment)) === workerCommand(service as never),
  );
  if (found.length !== 1) throw new Error(`expected one Deployment running the ${service} worker, found ${found.length}`);
  return found[0];
};
const workerDeployment = (service: string): Workload => workerDeploymentIn(production, service);
const apiDeploymentIn = (objects: K8sObject[]): Workload => {
  const found = ofKind<Workload>(objects, 'Deployment').find((deployment) => runs(mainContainer(deployment)) === `node ${apiEntryPoint}`);
  if (!found) throw new Error('no Deployment runs the API');
  return found;
};
const apiDeployment = (): Workload => apiDeploymentIn(production);

/** Services whose worker keeps a store under DATA_DIR (derived from their worker.ts), and the others. */
const stateful = storeServices();
const stateless = workerQueues.map(([service]) => service).filter((service) => !stateful.includes(service));
const claimsMountedBy = (deployment: Workload): string[] =>
  (deployment.spec.template.spec.volumes ?? []).flatMap((volume) =>
    volume.persistentVolumeClaim ? [volume.persistentVolumeClaim.claimName] : [],
  );

describe('the Kubernetes manifests are valid against the Kubernetes and KEDA schemas', () => {
  const files = listFiles('k8s', ['.yaml', '.yml']).filter(
    (file) => !NOT_OBJECTS.some((excluded) => file === excluded || path.basename(file) === excluded),
  );

  test.each(files)('%s', (file) => {
    const documents = readYamlDocuments(file);
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) {
      const name = isRecord(document) && isRecord(document.metadata) ? `${document.kind} ${document.metadata.name}` : 'a document';
      expect({ [name]: validateObject(document) }).toEqual({ [name]: [] });
    }
  });

  test.each(KUSTOMIZATIONS)('everything `kubectl kustomize %s` renders', (dir) => {
    const objects = rendered.get(dir)!;
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      expect({ [`${object.kind} ${object.metadata.name}`]: validateObject(object) }).toEqual({
        [`${object.kind} ${object.metadata.name}`]: [],
      });
    }
  });

  test('the validation rejects a misspelt field and a wrongly typed value', () => {
    const deployment = structuredClone(apiDeployment());
    const container = deployment.spec.template.spec.containers[0] as unknown as Record<string, unknown>;
    container.readinesProbe = container.readinessProbe;
    expect(validateObject(deployment)).toEqual(['/spec/template/spec/containers/0/readinesProbe is not a field of apps/v1 Deployment']);
    delete container.readinesProbe;
    (container.ports as { containerPort: unknown }[])[0].containerPort = '3000';
    expect(validateObject(deployment).join()).toMatch(/containerPort must be integer/);
  });

  test("KEDA's schema rejects a misplaced field and a trigger value that is not a string", () => {
    const scaledObject = structuredClone(ofKind(production, 'ScaledObject')[0]) as K8sObject & { spec: Record<string, any> };
    scaledObject.spec.minReplicas = scaledObject.spec.minReplicaCount;
    expect(validateObject(scaledObject)).toEqual(['/spec/minReplicas is not a field of keda.sh/v1alpha1 ScaledObject']);
    delete scaledObject.spec.minReplicas;
    scaledObject.spec.triggers[0].metadata.targetQueueSize = 5;
    expect(validateObject(scaledObject).join()).toMatch(/targetQueueSize must be string/);
  });
});

type ScaledObject = K8sObject & {
  spec: {
    scaleTargetRef: { name: string };
    minReplicaCount: number;
    maxReplicaCount: number;
    triggers: { type: string; metadata: Record<string, string> }[];
  };
};
type HorizontalPodAutoscaler = K8sObject & {
  spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
};
const scaledObjectsOf = (service: string): ScaledObject[] =>
  ofKind<ScaledObject>(production, 'ScaledObject').filter(
    (scaledObject) => scaledObject.spec.scaleTargetRef.name === workerDeployment(service).metadata.name,
  );
const hpasOf = (service: string): HorizontalPodAutoscaler[] =>
  ofKind<HorizontalPodAutoscaler>(rendered.get('k8s/overlays/production-hpa')!, 'HorizontalPodAutoscaler').filter(
    (hpa) => hpa.spec.scaleTargetRef.name === workerDeployment(service).metadata.name,
  );

describe('every task queue has its worker Deployment and autoscaling', () => {
  test.each(workerQueues)('%s: a Deployment runs its worker', (service) => {
    expect(workerDeployment(service)).toBeDefined();
  });

  test.each(workerQueues)(
    '%s: a KEDA ScaledObject scales that Deployment on the queue, with queueTypes for the tasks it runs',
    (service, queue) => {
      const scaledObjects = ofKind<ScaledObject>(production, 'ScaledObject').filter((scaledObject) =>
        scaledObject.spec.triggers.some((trigger) => trigger.type === 'temporal' && trigger.metadata.taskQueue === queue),
      );
      expect(scaledObjects).toHaveLength(1);
      const [scaledObject] = scaledObjects;
      expect(scaledObject.spec.scaleTargetRef.name).toBe(workerDeployment(service).metadata.name);
      expect(scaledObjects).toEqual(scaledObjectsOf(service));
      expect(scaledObject.spec.minReplicaCount).toBeGreaterThanOrEqual(0);
      expect(scaledObject.spec.maxReplicaCount).toBeGreaterThan(scaledObject.spec.minReplicaCount);
      const trigger = scaledObject.spec.triggers[0].metadata;
      expect(trigger.endpoint).toBe(configMap.TEMPORAL_ADDRESS);
      expect(trigger.namespace).toBe(configMap.TEMPORAL_NAMESPACE);
      expect(trigger.queueTypes?.split(',').sort()).toEqual(workerTaskKinds(service).sort());
      expect(Number(trigger.targetQueueSize)).toBeGreaterThan(0);
    },
  );

  test.each(workerQueues)('%s: the HPA alternative scales that Deployment', (service) => {
    const hpas = hpasOf(service);
    expect(hpas).toHaveLength(1);
    expect(hpas[0].spec.scaleTargetRef.kind).toBe('Deployment');
    expect(hpas[0].spec.maxReplicas).toBeGreaterThan(hpas[0].spec.minReplicas);
  });

  test('autoscaled worker Deployments leave the replica count to the autoscaler', () => {
    for (const [service] of workerQueues) expect({ [service]: workerDeployment(service).spec.replicas }).toEqual({ [service]: undefined });
  });
});

describe('every worker scales out: no Deployment is pinned to one pod', () => {
  const workerCases = APP_KUSTOMIZATIONS.flatMap((dir) => workerQueues.map(([service]) => [dir, service] as const));
  const scaledKustomizations = ['k8s/overlays/production', 'k8s/overlays/production-mtls', 'k8s/overlays/production-hpa'];

  test('the services with a store are found in their worker.ts, and the orders worker keeps none', () => {
    // Guards the parser: these workers construct a store today; the orders worker runs workflow code only.
    expect([...stateful].sort()).toEqual(['email', 'fraud', 'inventory', 'payment', 'shipping']);
    expect(stateless).toEqual(['orders']);
  });

  test.each(workerCases)(
    '%s: the %s worker can run more than one pod (RollingUpdate, no ReadWriteOnce volume, no cap at 1)',
    (dir, service) => {
      const objects = rendered.get(dir)!;
      const deployment = workerDeploymentIn(objects, service);
      expect({ service, pinnedBy: pinnedToOnePod(objects, deployment) }).toEqual({ service, pinnedBy: [] });
      expect(deployment.spec.strategy?.type).toBe('RollingUpdate');
    },
  );

  test.each(scaledKustomizations.flatMap((dir) => workerQueues.map(([service]) => [dir, service] as const)))(
    '%s: the %s worker has one autoscaler, from at least 2 pods (a pod that dies leaves one polling) to more',
    (dir, service) => {
      const objects = rendered.get(dir)!;
      const autoscalers = autoscalersOf(objects, workerDeploymentIn(objects, service));
      expect(autoscalers).toHaveLength(1);
      expect(autoscalers[0].min).toBeGreaterThanOrEqual(2);
      expect(autoscalers[0].max).toBeGreaterThan(autoscalers[0].min);
    },
  );

  test.each(APP_KUSTOMIZATIONS)("%s: the API's and each worker's pods spread over nodes, so losing one node leaves a pod", (dir) => {
    const objects = rendered.get(dir)!;
    const spreadOf = (deployment: Workload) => {
      const { labels } = deployment.spec.template.metadata;
      const byNode = (deployment.spec.template.spec.topologySpreadConstraints ?? []).filter(
        (constraint) => constraint.topologyKey === 'kubernetes.io/hostname' && constraint.maxSkew === 1,
      );
      // The selector must pick this Deployment's pods, and only them: another's labels spread nothing.
      const ownPods = byNode.filter(({ labelSelector }) => {
        const selected = Object.entries(labelSelector?.matchLabels ?? {});
        return (
          selected.length > 0 &&
          selected.every(([key, value]) => labels[key] === value) &&
          'app.kubernetes.io/name' in (labelSelector?.matchLabels ?? {})
        );
      });
      // ScheduleAnyway: a one-node cluster (the demo's) still schedules every replica.
      return { name: deployment.metadata.name, spread: ownPods.map((constraint) => constraint.whenUnsatisfiable) };
    };
    const deploymentsHere = [apiDeploymentIn(objects), ...workerQueues.map(([service]) => workerDeploymentIn(objects, service))];
    expect(deploymentsHere.map(spreadOf)).toEqual(
      deploymentsHere.map(({ metadata }) => ({ name: metadata.name, spread: ['ScheduleAnyway'] })),
    );
  });

  test.each(APP_KUSTOMIZATIONS)('%s: renders no PersistentVolumeClaim, and no Deployment mounts one', (dir) => {
    const objects = rendered.get(dir)!;
    expect(ofKind(objects, 'PersistentVolumeClaim').map((claim) => claim.metadata.name)).toEqual([]);
    expect(ofKind<Workload>(objects, 'Deployment').flatMap(claimsMountedBy)).toEqual([]);
  });

  test('the check finds each way a Deployment is pinned to one pod, as the manifests once were', () => {
    const deployment = structuredClone(workerDeployment('payment'));
    const claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'payment-data' },
      spec: { accessModes: ['ReadWriteOnce'] },
    };
    const capped = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'payment-worker' },
      spec: { scaleTargetRef: { name: deployment.metadata.name }, minReplicaCount: 0, maxReplicaCount: 1 },
    };
    deployment.spec.strategy = { type: 'Recreate' };
    deployment.spec.template.spec.volumes!.push({ name: 'data', persistentVolumeClaim: { claimName: 'payment-data' } });
    expect(pinnedToOnePod([deployment, claim, capped], deployment)).toEqual([
      'strategy Recreate',
      'volume data is claim payment-data (ReadWriteOnce)',
      'ScaledObject payment-worker allows 1 pod at most',
    ]);
    const alone = { ...structuredClone(workerDeployment('payment')), spec: { ...workerDeployment('payment').spec, replicas: 1 } };
    expect(pinnedToOnePod([alone], alone)).toEqual(['replicas 1 and no autoscaler']);
    expect(pinnedToOnePod([workerDeployment('payment')], workerDeployment('payment'))).toEqual([]);
  });

  test.each(workerQueues)('%s: its PodDisruptionBudget lets a node drain evict a pod, even at one replica', (service) => {
    const deployment = workerDeployment(service);
    const budgets = ofKind<
      K8sObject & {
        spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable?: number | string; minAvailable?: number | string };
      }
    >(production, 'PodDisruptionBudget').filter((budget) =>
      Object.entries(budget.spec.selector.matchLabels).every(([key, value]) => deployment.spec.template.metadata.labels[key] === value),
    );
    // Of one pod, a percentage rounds up for maxUnavailable and minAvailable alike.
    const ofOnePod = (value: number | string) => (typeof value === 'number' ? value : Math.ceil(parseFloat(value) / 100));
    expect(budgets).toHaveLength(1);
    for (const { spec } of budgets) {
      const evictable = spec.maxUnavailable !== undefined ? ofOnePod(spec.maxUnavailable) >= 1 : ofOnePod(spec.minAvailable ?? 0) === 0;
      expect({ service, maxUnavailable: spec.maxUnavailable, minAvailable: spec.minAvailable, evictable }).toMatchObject({
        service,
        evictable: true,
      });
    }
  });
});

describe("each service's replicas share its database: the URL from the service's own Secret", () => {
  const storeCases = APP_KUSTOMIZATIONS.flatMap((dir) => stateful.map((service) => [dir, service] as const));
  const databaseSecrets = readYamlDocuments('k8s/base/database-secrets.template.yaml') as (K8sObject & {
    stringData: Record<string, string>;
  })[];
  const urlSourceOf = (deployment: Workload, variable: string) =>
    (mainContainer(deployment).env ?? []).filter((candidate) => candidate.name === variable);

  test.each(storeCases)(
    '%s: the %s worker reads its database URL from a Secret, required, never as a literal or from a ConfigMap',
    (dir, service) => {
      const objects = rendered.get(dir)!;
      const deployment = workerDeploymentIn(objects, service);
      const variable = databaseUrlVariable(service);
      const sources = urlSourceOf(deployment, variable);
      expect(sources).toEqual([
        { name: variable, valueFrom: { secretKeyRef: { name: expect.any(String), key: variable, optional: false } } },
      ]);
      // Nothing else could hand it a URL: no ConfigMap key of that name, and no whole Secret.
      for (const from of mainContainer(deployment).envFrom ?? []) {
        expect(from.secretRef).toBeUndefined();
        if (from.configMapRef)
          expect(
            named(ofKind<K8sObject & { data: Record<string, string> }>(objects, 'ConfigMap'), from.configMapRef.name).data,
          ).not.toHaveProperty(variable);
      }
    },
  );

  test('each service has a Secret of its own, which the template describes with exactly its URL key', () => {
    const secretOf = (service: (typeof stateful)[number]) =>
      urlSourceOf(workerDeployment(service), databaseUrlVariable(service))[0]?.valueFrom?.secretKeyRef?.name;
    const names = stateful.map(secretOf);
    expect(new Set(names).size).toBe(stateful.length);
    expect(names).not.toContain('app-secrets');
    expect(Object.fromEntries(databaseSecrets.map((secret) => [secret.metadata.name, Object.keys(secret.stringData)]))).toEqual(
      Object.fromEntries(stateful.map((service) => [secretOf(service), [databaseUrlVariable(service)]])),
    );
  });

  test('the database Secret template has no values, is outside the kustomization, and names a user and a database per service', () => {
    for (const secret of databaseSecrets) {
      expect(secret.kind).toBe('Secret');
      expect(secret.metadata.namespace).toBe(APP_NAMESPACE);
      for (const value of Object.values(secret.stringData)) expect(value).toBe('');
    }
    expect(readText('k8s/base/kustomization.yaml')).not.toMatch(/database-secrets/);
    const template = readText('k8s/base/database-secrets.template.yaml');
    expect(template).toMatch(/--from-literal=PAYMENT_DATABASE_URL='postgres:\/\/payment:[^@]+@[^/]+\/payment'/);
  });

  test.each(workerQueues)("%s: the worker receives no other service's database URL", (service) => {
    const own = stateful.includes(service) ? [databaseUrlVariable(service)] : [];
    const urls = (mainContainer(workerDeployment(service)).env ?? [])
      .map(({ name }) => name)
      .filter((name) => name.endsWith('_DATABASE_URL'));
    expect(urls).toEqual(own);
  });
});

describe('the dev PostgreSQL for the services (k8s/services-postgres)', () => {
  const objects = rendered.get('k8s/services-postgres')!;
  const statefulSet = named(
    ofKind<Workload & { spec: { serviceName: string; volumeClaimTemplates: PersistentVolumeClaim[] } }>(objects, 'StatefulSet'),
    'services-postgresql',
  );
  const job = named(ofKind<Workload>(objects, 'Job'), 'services-db-setup');
  const jobEnv = mainContainer(job).env ?? [];

  test("one PostgreSQL pod, its data on a ReadWriteOnce claim of its own, behind a headless Service of the StatefulSet's serviceName", () => {
    expect(statefulSet.spec.replicas).toBe(1);
    expect(statefulSet.spec.volumeClaimTemplates.map((claim) => claim.spec.accessModes)).toEqual([['ReadWriteOnce']]);
    expect(mainContainer(statefulSet).volumeMounts?.map((mount) => mount.name)).toContain(
      statefulSet.spec.volumeClaimTemplates[0].metadata.name,
    );
    const service = named(
      ofKind<K8sObject & { spec: { clusterIP?: string; selector: Record<string, string> } }>(objects, 'Service'),
      statefulSet.spec.serviceName,
    );
    expect(service.spec.clusterIP).toBe('None');
    expect(statefulSet.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(jobEnv.find(({ name }) => name === 'PGHOST')?.value).toBe(service.metadata.name);
  });

  test("the setup Job runs the script compose's services-db-setup runs, with the superuser's password from a Secret", () => {
    const compose = loadCompose().services['services-db-setup'];
    const [mount] = (compose.volumes as string[]).map((volume) => volume.split(':'));
    expect(mount[0]).toBe('./k8s/services-postgres/create-service-databases.sh');
    const configMap = named(
      ofKind<K8sObject & { data: Record<string, string> }>(objects, 'ConfigMap'),
      job.spec.template.spec.volumes![0].configMap!.name,
    );
    expect(configMap.data['create-service-databases.sh']).toBe(readText(mount[0]));
    expect(mainContainer(job).command).toEqual(['/bin/sh', '/setup/create-service-databases.sh']);
    expect(mainContainer(job).volumeMounts).toEqual([
      { name: job.spec.template.spec.volumes![0].name, mountPath: '/setup', readOnly: true },
    ]);
    const password = jobEnv.find(({ name }) => name === 'PGPASSWORD');
    expect(password?.valueFrom?.secretKeyRef).toEqual({ name: 'services-postgresql-admin', key: 'POSTGRES_PASSWORD', optional: false });
  });

  test("the Job creates each user and database from the same Secret key the service's worker reads", () => {
    for (const service of stateful) {
      const variable = databaseUrlVariable(service);
      const fromWorker = (mainContainer(workerDeployment(service)).env ?? []).find(({ name }) => name === variable);
      expect({ [variable]: jobEnv.find(({ name }) => name === variable)?.valueFrom }).toEqual({ [variable]: fromWorker?.valueFrom });
    }
  });

  test('runs the PostgreSQL image compose pins for services-postgresql', () => {
    const image = String(loadCompose().services['services-postgresql'].image);
    expect(mainContainer(statefulSet).image).toBe(image);
    expect(mainContainer(job).image).toBe(image);
  });

  test('the superuser Secret is a template with no value, outside the kustomization', () => {
    const [secret] = readYamlDocuments('k8s/services-postgres/admin-secret.template.yaml') as (K8sObject & {
      stringData: Record<string, string>;
    })[];
    expect(secret.stringData).toEqual({ POSTGRES_PASSWORD: '' });
    expect(ofKind(objects, 'Secret')).toEqual([]);
  });
});

describe('probes and ports match the code', () => {
  test('the API serves its probe paths (/healthz, /readyz), and they probe the port it listens on (PORT)', () => {
    const container = mainContainer(apiDeployment());
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(apiRoutes()).toEqual(expect.arrayContaining([container.livenessProbe!.httpGet!.path, container.readinessProbe!.httpGet!.path]));
    for (const probe of [container.livenessProbe!, container.readinessProbe!, container.startupProbe!]) {
      expect(probePort(container, probe)).toBe(Number(configMap.PORT));
    }
  });

  test('the API Service routes to the port the API listens on', () => {
    const service = named(
      ofKind<K8sObject & { spec: { selector: Record<string, string>; ports: { targetPort: string | number }[] } }>(production, 'Service'),
      'api',
    );
    const deployment = apiDeployment();
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    const container = mainContainer(deployment);
    expect(probePort(container, { tcpSocket: { port: service.spec.ports[0].targetPort } })).toBe(Number(configMap.PORT));
  });

  test.each(workerQueues)(
    '%s: probes GET /healthz (liveness) and /readyz (readiness) on WORKER_HEALTH_PORT, which the health server answers',
    (service) => {
      const container = mainContainer(workerDeployment(service));
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(workerHealthPaths()).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
      for (const probe of [container.livenessProbe!, container.readinessProbe!, container.startupProbe!]) {
        expect(probePort(container, probe)).toBe(Number(configMap.WORKER_HEALTH_PORT));
      }
    },
  );

  test.each(workerQueues)('%s: declares the metrics port of METRICS_BIND_ADDRESS and annotates it for Prometheus', (service) => {
    const deployment = workerDeployment(service);
    const metricsPort = Number(configMap.METRICS_BIND_ADDRESS.split(':').pop());
    expect(mainContainer(deployment).ports?.map((port) => port.containerPort)).toContain(metricsPort);
    expect(deployment.spec.template.metadata).toMatchObject({ annotations: { 'prometheus.io/port': String(metricsPort) } });
  });
});

describe('every Deployment is production-ready', () => {
  const everyWorkload = (): [string, Workload][] =>
    [...rendered.values()]
      .flat()
      .filter((object): object is Workload => ['Deployment', 'StatefulSet', 'Job'].includes(object.kind))
      .map((workload) => [`${workload.kind} ${workload.metadata.name}`, workload]);

  test.each(everyWorkload())('%s: every container has requests and limits', (_, workload) => {
    for (const container of workload.spec.template.spec.containers) {
      expect(container.resources?.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
      expect(container.resources?.limits).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
    }
  });

  test.each(everyWorkload())('%s: runs as non-root with a read-only root filesystem and no capabilities', (_, workload) => {
    expect(workload.spec.template.spec.securityContext?.runAsNonRoot).toBe(true);
    for (const container of workload.spec.template.spec.containers) {
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  test.each(workerQueues)('%s: terminationGracePeriodSeconds exceeds the worker shutdown grace time', (service) => {
    const grace = workerDeployment(service).spec.template.spec.terminationGracePeriodSeconds ?? 30;
    expect(grace).toBeGreaterThan(durationSeconds(configMap.WORKER_SHUTDOWN_GRACE_TIME));
  });

  test.each(deployments.map((deployment) => [deployment.metadata.name, deployment] as const))(
    '%s: a PodDisruptionBudget selects its pods',
    (_, deployment) => {
      const budgets = ofKind<K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } }>(
        production,
        'PodDisruptionBudget',
      ).filter((budget) =>
        Object.entries(budget.spec.selector.matchLabels).every(([key, value]) => deployment.spec.template.metadata.labels[key] === value),
      );
      expect(budgets).toHaveLength(1);
    },
  );

  test.each(workerQueues)(
    '%s: the worker reads the shared ConfigMap and, from the Secrets, only its keys by name: the payload keys and its database URL required',
    (service) => {
      const container = mainContainer(workerDeployment(service));
      expect(container.envFrom).toEqual([{ configMapRef: { name: 'app-config' } }]);
      const fromSecret = (container.env ?? []).flatMap(({ name, valueFrom }) =>
        valueFrom?.secretKeyRef ? [[name, valueFrom.secretKeyRef]] : [],
      );
      const secretKey = (key: string, optional: boolean) => [key, { name: 'app-secrets', key, optional }];
      const ownDatabase = stateful.includes(service) ? [[databaseUrlVariable(service), expect.objectContaining({ optional: false })]] : [];
      expect(fromSecret).toEqual([
        secretKey('ENCRYPTION_KEYS', false),
        secretKey('TEMPORAL_API_KEY', true),
        ...ownDatabase,
        ...(service === 'email' ? [secretKey('SMTP_URL', true)] : []),
      ]);
    },
  );

  test('the API reads the shared ConfigMap, and from the Secret only its key, required', () => {
    expect(mainContainer(apiDeployment()).envFrom).toEqual([{ configMapRef: { name: 'app-config' } }]);
  });

  test('every namespaced object of the application lands in its namespace', () => {
    for (const dir of KUSTOMIZATIONS.filter((dir) => dir !== 'k8s/temporal/dev-server')) {
      for (const object of rendered.get(dir)!.filter((object) => object.kind !== 'Namespace')) {
        expect({ [`${dir}: ${object.kind} ${object.metadata.name}`]: object.metadata.namespace }).toEqual({
          [`${dir}: ${object.kind} ${object.metadata.name}`]: APP_NAMESPACE,
        });
      }
    }
  });
});

describe('the live demo variants of the shipping worker', () => {
  const shippingEnv = (dir: string) =>
    mainContainer(named(ofKind<Workload>(rendered.get(dir)!, 'Deployment'), workerDeployment('shipping').metadata.name)).env ?? [];
  const baseShippingEnv = () => mainContainer(workerDeployment('shipping')).env ?? [];

  test("the bugged overlay preloads the demo's label bug from the image, the fixed one preloads nothing; both keep the worker's own variables", () => {
    expect(shippingEnv('k8s/overlays/bugged-shipping')).toEqual([
      ...baseShippingEnv(),
      { name: 'NODE_OPTIONS', value: preloadingInImage('labelBug') },
    ]);
    expect(shippingEnv('k8s/overlays/fixed-shipping')).toEqual([...baseShippingEnv(), { name: 'NODE_OPTIONS', value: '' }]);
  });

  test.each(['k8s/overlays/bugged-shipping', 'k8s/overlays/fixed-shipping'])(
    '%s changes the shipping worker only, and keeps its image',
    (dir) => {
      const base = rendered.get('k8s/base')!;
      const variant = rendered.get(dir)!;
      expect(variant.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(
        base.map((object) => `${object.kind}/${object.metadata.name}`),
      );
      const shipping = workerDeployment('shipping').metadata.name;
      for (const [index, object] of variant.entries()) {
        if (object.kind === 'Deployment' && object.metadata.name === shipping) {
          expect(mainContainer(object as Workload).image).toBe(mainContainer(base[index] as Workload).image);
        } else {
          expect(object).toEqual(base[index]);
        }
      }
    },
  );
});

describe('Temporal on Kubernetes', () => {
  test('the dev server registers every custom search attribute with its type', () => {
    const devServer = named(ofKind<Workload>(rendered.get('k8s/temporal/dev-server')!, 'Deployment'), 'temporal-dev-server');
    const args = mainContainer(devServer).args ?? [];
    const registered = Object.fromEntries(
      args.flatMap((arg, index) => (args[index - 1] === '--search-attribute' ? [arg.split('=') as [string, string]] : [])),
    );
    expect(registered).toEqual(customSearchAttributes);
    expect(args.slice(0, 2)).toEqual(['server', 'start-dev']);
    expect(args[args.indexOf('--namespace') + 1]).toBe(configMap.TEMPORAL_NAMESPACE);
  });

  test("the dev server's frontend Service is the app's TEMPORAL_ADDRESS", () => {
    const objects = rendered.get('k8s/temporal/dev-server')!;
    const service = named(ofKind<K8sObject & { spec: { ports: { port: number }[] } }>(objects, 'Service'), 'temporal-frontend');
    expect(`${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local:${service.spec.ports[0].port}`).toBe(
      configMap.TEMPORAL_ADDRESS,
    );
  });

  test('the search attributes Job for the Helm install registers every custom search attribute at TEMPORAL_ADDRESS', () => {
    const [job] = readYamlDocuments('k8s/temporal/helm/search-attributes-job.yaml') as Workload[];
    const env = Object.fromEntries((mainContainer(job).env ?? []).map(({ name, value }) => [name, value]));
    expect(parseSearchAttributeList(env.SEARCH_ATTRIBUTES ?? '')).toEqual(customSearchAttributes);
    expect(env.TEMPORAL_ADDRESS).toBe(configMap.TEMPORAL_ADDRESS);
    expect(env.TEMPORAL_NAMESPACE).toBe(configMap.TEMPORAL_NAMESPACE);
  });

  test('the Helm values use PostgreSQL for both stores, no Elasticsearch or Cassandra, and include the Web UI', () => {
    const [values] = readYamlDocuments('k8s/temporal/helm/values.yaml') as [Record<string, any>];
    const persistence = values.server.config.persistence;
    for (const store of [persistence.defaultStore, persistence.visibilityStore]) {
      expect(persistence.datastores[store].sql).toMatchObject({
        pluginName: 'postgres12',
        driverName: 'postgres12',
        existingSecret: expect.any(String),
      });
      expect(persistence.datastores[store].sql.password).toBeUndefined();
    }
    expect(persistence.datastores[persistence.defaultStore].sql.databaseName).not.toBe(
      persistence.datastores[persistence.visibilityStore].sql.databaseName,
    );
    expect(values.elasticsearch.enabled).toBe(false);
    expect(values.cassandra.enabled).toBe(false);
    expect(values.web.enabled).toBe(true);
    expect(values.server.config.namespaces.namespace.map((namespace: { name: string }) => namespace.name)).toContain(
      configMap.TEMPORAL_NAMESPACE,
    );
  });
});

describe('the API requires a key on Kubernetes', () => {
  // The code turns the check off when API_KEY is unset or empty, so the only safe source is a
  // required reference to the Secret: a missing Secret or key stops the pod from starting.
  test.each(APP_KUSTOMIZATIONS)(
    '%s: the API Deployment takes API_KEY from the app-secrets Secret, not optional, and from nothing else',
    (dir) => {
      const container = mainContainer(apiDeploymentIn(rendered.get(dir)!));
      const sources = (container.env ?? []).filter((variable) => variable.name === 'API_KEY');
      expect(sources).toEqual([{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'app-secrets', key: 'API_KEY', optional: false } } }]);
      // No envFrom could hand it an empty API_KEY instead (a ConfigMap key, or an optional Secret), and nothing in the env list overrides it.
      for (const from of container.envFrom ?? []) {
        expect(from.secretRef).toBeUndefined();
        if (from.configMapRef)
          expect(
            named(ofKind<K8sObject & { data: Record<string, string> }>(rendered.get(dir)!, 'ConfigMap'), from.configMapRef.name).data,
          ).not.toHaveProperty('API_KEY');
      }
    },
  );

  test.each(APP_KUSTOMIZATIONS)('%s: no worker receives API_KEY, by name or through the whole Secret (only the API checks it)', (dir) => {
    for (const deployment of ofKind<Workload>(rendered.get(dir)!, 'Deployment').filter(
      (deployment) => deployment.metadata.name !== apiDeployment().metadata.name,
    )) {
      const container = mainContainer(deployment);
      expect((container.env ?? []).map((variable) => variable.name)).not.toContain('API_KEY');
      expect((container.env ?? []).map((variable) => variable.valueFrom?.secretKeyRef?.key)).not.toContain('API_KEY');
      expect((container.envFrom ?? []).filter((from) => from.secretRef)).toEqual([]);
    }
  });
});

describe('secrets', () => {
  test('the Secret template has no API_KEY entry (applied as is, the API cannot start rather than run keyless) and shows how to create it', () => {
    const [secret] = readYamlDocuments('k8s/base/app-secrets.template.yaml') as (K8sObject & { stringData: Record<string, string> })[];
    expect(secret.stringData).not.toHaveProperty('API_KEY');
    expect(readText('k8s/base/app-secrets.template.yaml')).toMatch(/--from-literal=API_KEY=/);
  });

  test('the Secret is a template with no values, outside the kustomization so an apply never overwrites the real one', () => {
    const [secret] = readYamlDocuments('k8s/base/app-secrets.template.yaml') as (K8sObject & { stringData: Record<string, string> })[];
    expect(secret.kind).toBe('Secret');
    expect(Object.keys(secret.stringData).length).toBeGreaterThan(0);
    for (const value of Object.values(secret.stringData)) expect(value).toBe('');
    expect(readText('k8s/base/kustomization.yaml')).not.toMatch(/app-secrets/);
    expect(ofKind(production, 'Secret')).toEqual([]);
  });
});

describe('payload encryption and Temporal credentials on Kubernetes', () => {
  test.each(APP_KUSTOMIZATIONS)(
    '%s: every Deployment takes ENCRYPTION_KEYS from the Secret, not optional, and refuses to start without keys',
    (dir) => {
      const config = configMapOf(rendered.get(dir)!);
      expect({ REQUIRE_ENCRYPTION: config.REQUIRE_ENCRYPTION, REQUIRE_API_KEY: config.REQUIRE_API_KEY }).toEqual({
        REQUIRE_ENCRYPTION: 'true',
        REQUIRE_API_KEY: 'true',
      });
      for (const deployment of ofKind<Workload>(rendered.get(dir)!, 'Deployment')) {
        const sources = (mainContainer(deployment).env ?? []).filter((variable) => variable.name === 'ENCRYPTION_KEYS');
        expect({ [deployment.metadata.name]: sources }).toEqual({
          [deployment.metadata.name]: [
            { name: 'ENCRYPTION_KEYS', valueFrom: { secretKeyRef: { name: 'app-secrets', key: 'ENCRYPTION_KEYS', optional: false } } },
          ],
        });
      }
    },
  );

  test('the Secret template has no ENCRYPTION_KEYS entry (an empty one would stop every pod) and shows how to make one', () => {
    const [secret] = readYamlDocuments('k8s/base/app-secrets.template.yaml') as (K8sObject & { stringData: Record<string, string> })[];
    expect(secret.stringData).not.toHaveProperty('ENCRYPTION_KEYS');
    expect(readText('k8s/base/app-secrets.template.yaml')).toMatch(/--from-literal=ENCRYPTION_KEYS=/);
  });

  test('the mTLS overlay mounts the client certificate, key and CA from a Secret, read-only, into every Deployment and points the TLS settings at them', () => {
    const objects = rendered.get('k8s/overlays/production-mtls')!;
    for (const deployment of ofKind<Workload>(objects, 'Deployment')) {
      const container = mainContainer(deployment);
      const volume = (deployment.spec.template.spec.volumes ?? []).find((candidate) => candidate.name === 'temporal-client-tls');
      expect(volume?.secret?.secretName).toBe('temporal-client-tls');
      const mount = (container.volumeMounts ?? []).find((candidate) => candidate.name === 'temporal-client-tls')!;
      expect(mount).toMatchObject({ readOnly: true });
      const env = Object.fromEntries((container.env ?? []).map(({ name, value }) => [name, value]));
      for (const [setting, file] of [
        ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'tls.crt'],
        ['TEMPORAL_TLS_CLIENT_KEY_PATH', 'tls.key'],
        ['TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'ca.crt'],
      ]) {
        expect({ [setting]: env[setting] }).toEqual({ [setting]: `${mount.mountPath}/${file}` });
      }
    }
  });
});
