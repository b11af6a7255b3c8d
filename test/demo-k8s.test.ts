import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { parseAllDocuments } from 'yaml';
import { K8sCluster, podsOf } from '../scripts/demo/k8s/cluster';
import { commandLine, IMAGE_ROOT, kubectl, K8S_NAMES, preloadingInImage, type Command } from '../scripts/demo/k8s/kubectl';
import { checkApiKey, k8sApiKey, startK8sTarget } from '../scripts/demo/k8s/target';
import type { Stage } from '../scripts/demo/scenes';
import { versionRollbackScenes } from '../scripts/demo/version-rollback';
import { buildApp } from '../services/api/app';
import { projectRoot } from '../services/common/paths';
import { TaskQueues, type ServiceName } from '../workflows/task-queues';
import { databaseUrlVariable, storeServices } from './deploy/support/code-facts';

// The Kubernetes demo cannot run here (no cluster), so it is checked by construction: the exact
// kubectl commands each scene runs, every name they use against the manifests as kubectl
// kustomize renders them, and every flag against the installed kubectl's own help.

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    strategy?: { type?: string };
    ports?: { port: number }[];
    template?: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: {
          env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }[];
          envFrom?: { configMapRef?: { name: string } }[];
          volumeMounts?: { name: string; mountPath: string }[];
        }[];
        volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[];
      };
    };
  };
  data?: Record<string, string>;
}

const render = (dir: string): K8sObject[] =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { cwd: projectRoot, encoding: 'utf8' }))
    .map((document) => document.toJS() as K8sObject)
    .filter(Boolean);

const SERVICES = Object.keys(TaskQueues) as ServiceName[];
const bugged = render(K8S_NAMES.overlays.bugged);
const fixed = render(K8S_NAMES.overlays.fixed);
const temporal = render('k8s/temporal/dev-server');
const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const shippingEnv = (objects: K8sObject[]) =>
  find(objects, 'Deployment', K8S_NAMES.deployment('shipping'))!.spec!.template!.spec.containers[0].env;
/** What a container preloads: its NODE_OPTIONS entries (its other variables, such as the keys from the Secret, are not the demo's). */
const preloads = (env: { name: string }[] | undefined) => (env ?? []).filter((variable) => variable.name === 'NODE_OPTIONS');

/** Every command a K8sCluster runs for one verb, as command lines. */
async function commandsOf(act: (cluster: K8sCluster) => Promise<void>): Promise<string[]> {
  const ran: string[] = [];
  const record = async (command: Command) => {
    ran.push(commandLine(command));
    // An empty answer is what `get pods` gives once a scaled-down service's pods are gone.
    return '';
  };
  await act(new K8sCluster(() => undefined, record));
  return ran;
}

describe('the commands each scene runs', () => {
  test('the bugged pod is the bugged-shipping overlay, rolled out', async () => {
    expect(await commandsOf((cluster) => cluster.setShippingBugged(true))).toEqual([
      'kubectl -n temporal-orders apply -k k8s/overlays/bugged-shipping',
      'kubectl -n temporal-orders rollout status deployment/shipping-worker --timeout=300s',
    ]);
  });

  test('the fixed pod is the fixed-shipping overlay, rolled out', async () => {
    expect(await commandsOf((cluster) => cluster.setShippingBugged(false))).toEqual([
      'kubectl -n temporal-orders apply -k k8s/overlays/fixed-shipping',
      'kubectl -n temporal-orders rollout status deployment/shipping-worker --timeout=300s',
    ]);
  });

  test('pod down scales the Deployment to zero and waits until its pods are gone', async () => {
    expect(await commandsOf((cluster) => cluster.scale('payment', 0))).toEqual([
      'kubectl -n temporal-orders scale deployment/payment-worker --replicas=0',
      'kubectl -n temporal-orders get pods -l app.kubernetes.io/name=payment-worker -o name',
    ]);
  });

  test('all up scales it back and waits for the rollout', async () => {
    expect(await commandsOf((cluster) => cluster.scale('payment', 1))).toEqual([
      'kubectl -n temporal-orders scale deployment/payment-worker --replicas=1',
      'kubectl -n temporal-orders rollout status deployment/payment-worker --timeout=300s',
    ]);
  });

  test('the surge limits the payment pods, scales them to 3 and back to 1, then gives them back their own settings, each rolled out', async () => {
    expect(
      await commandsOf(async (cluster) => {
        await cluster.setPaymentLimits({ gatewayLatencyMs: 600, maxConcurrentActivities: 2 });
        await cluster.scale('payment', 3);
        await cluster.scale('payment', 1);
        await cluster.setPaymentLimits(undefined);
      }),
    ).toEqual([
      'kubectl -n temporal-orders set env deployment/payment-worker PAYMENT_GATEWAY_LATENCY_MS=600 WORKER_MAX_CONCURRENT_ACTIVITIES=2',
      'kubectl -n temporal-orders rollout status deployment/payment-worker --timeout=300s',
      'kubectl -n temporal-orders scale deployment/payment-worker --replicas=3',
      'kubectl -n temporal-orders rollout status deployment/payment-worker --timeout=300s',
      'kubectl -n temporal-orders scale deployment/payment-worker --replicas=1',
      'kubectl -n temporal-orders rollout status deployment/payment-worker --timeout=300s',
      'kubectl -n temporal-orders set env deployment/payment-worker PAYMENT_GATEWAY_LATENCY_MS- WORKER_MAX_CONCURRENT_ACTIVITIES-',
      'kubectl -n temporal-orders rollout status deployment/payment-worker --timeout=300s',
    ]);
  });

  test('the workflow-code bug is preloaded through NODE_OPTIONS on the orders Deployment, then removed, each rolled out', async () => {
    expect(
      await commandsOf(async (cluster) => {
        await cluster.setWorkflowCodeBugged(true);
        await cluster.setWorkflowCodeBugged(false);
      }),
    ).toEqual([
      "kubectl -n temporal-orders set env deployment/orders-worker 'NODE_OPTIONS=--require /app/dist/scripts/demo/faults/workflow-code-bug.js'",
      'kubectl -n temporal-orders rollout status deployment/orders-worker --timeout=300s',
      'kubectl -n temporal-orders set env deployment/orders-worker NODE_OPTIONS-',
      'kubectl -n temporal-orders rollout status deployment/orders-worker --timeout=300s',
    ]);
  });

  test('the versioning scenes skip on Kubernetes with one line each and run no command (two builds side by side is the Worker Controller there)', async () => {
    const lines: string[][] = [];
    const ran = await commandsOf(async (cluster) => {
      // Skipping reads neither Temporal nor a snapshot.
      const stage: Stage = { cluster, observer: undefined as never, uiUrl: '', orders: undefined as never, note: () => undefined };
      for (const scene of versionRollbackScenes()) {
        const spotlight = await (await scene.play(stage, undefined as never))(undefined as never);
        expect(spotlight.shown).toBe(true);
        lines.push(spotlight.lines);
      }
    });
    expect(ran).toEqual([]);
    expect(lines).toEqual([[expect.stringMatching(/^Skipped: .*Temporal Worker Controller/)], [expect.stringMatching(/^Skipped: /)]]);
  });

  test('the port-forwards listen on 127.0.0.1 only', () => {
    expect(['temporal-frontend', 'temporal-web', 'api'].map((target) => commandLine(kubectl.portForward(target as 'api', 9000)))).toEqual([
      'kubectl -n temporal port-forward --address 127.0.0.1 svc/temporal-frontend 9000:7233',
      'kubectl -n temporal port-forward --address 127.0.0.1 svc/temporal-web 9000:8080',
      'kubectl -n temporal-orders port-forward --address 127.0.0.1 svc/api 9000:80',
    ]);
  });
});

describe('the names the commands use exist in the manifests', () => {
  test('both demo overlays exist and put everything in the namespace the commands use', () => {
    for (const overlay of Object.values(K8S_NAMES.overlays))
      expect(fs.existsSync(path.join(projectRoot, overlay, 'kustomization.yaml'))).toBe(true);
    for (const object of [...bugged, ...fixed].filter((o) => o.kind !== 'Namespace'))
      expect(`${object.kind}/${object.metadata.name} in ${object.metadata.namespace}`).toMatch(/ in temporal-orders$/);
  });

  test.each(SERVICES)('the %s worker Deployment is named as the commands say, and its pods carry the label they select', (service) => {
    const deployment = find(bugged, 'Deployment', K8S_NAMES.deployment(service));
    const [key, value] = K8S_NAMES.podLabel(service).split('=');
    const [workerKey, workerValue] = K8S_NAMES.workerLabel.split('=');
    expect(deployment?.spec?.template?.metadata.labels).toMatchObject({
      [key]: value,
      [workerKey]: workerValue,
      'temporal.io/task-queue': TaskQueues[service],
    });
    expect(deployment?.spec?.selector?.matchLabels).toEqual({ [key]: value });
    expect(deployment?.metadata.labels).toMatchObject({ [workerKey]: workerValue });
  });

  test('the bugged overlay preloads the label bug for shipping only, and the fixed one preloads nothing', () => {
    expect(preloads(shippingEnv(bugged))).toEqual([
      { name: 'NODE_OPTIONS', value: '--require /app/dist/scripts/demo/faults/label-bug.js' },
    ]);
    expect(preloads(shippingEnv(fixed))).toEqual([{ name: 'NODE_OPTIONS', value: '' }]);
    for (const service of SERVICES.filter((s) => s !== 'shipping'))
      expect(preloads(find(bugged, 'Deployment', K8S_NAMES.deployment(service))!.spec!.template!.spec.containers[0].env)).toEqual([]);
  });

  test('the orders worker reads the ConfigMap, in the Temporal namespace the demo watches, and preloads nothing of the demo', () => {
    const orders = find(bugged, 'Deployment', K8S_NAMES.deployment('orders'))!.spec!.template!.spec.containers[0];
    expect(orders.envFrom).toContainEqual({ configMapRef: { name: 'app-config' } });
    expect(preloads(orders.env)).toEqual([]);
    const config = find(bugged, 'ConfigMap', 'app-config')?.data;
    expect(config).toMatchObject({ TEMPORAL_NAMESPACE: K8S_NAMES.temporalNamespaceOfWorkers });
    expect(config).not.toHaveProperty('NODE_OPTIONS');
  });

  test('the Services the demo forwards to exist with the ports it uses', () => {
    expect(find(bugged, 'Service', K8S_NAMES.api.service)?.spec?.ports?.map((p) => p.port)).toContain(K8S_NAMES.api.port);
    for (const { service, port } of [K8S_NAMES.temporalFrontend, K8S_NAMES.temporalWeb]) {
      const found = find(temporal, 'Service', service);
      expect(found?.metadata.namespace).toBe(K8S_NAMES.temporalNamespace);
      expect(found?.spec?.ports?.map((p) => p.port)).toContain(port);
    }
  });
});

describe('pod down keeps the store of the service it takes away', () => {
  // The scene scales a Deployment to 0 and back (payment by default). The pod that comes back
  // must find what the old one recorded, so the store is not in the pod: it is the service's database.
  test.each(storeServices())(
    '%s: in both demo overlays, its store is the database its required Secret names, and nothing at DATA_DIR belongs to the pod',
    (service) => {
      for (const objects of [bugged, fixed]) {
        const deployment = find(objects, 'Deployment', K8S_NAMES.deployment(service))!;
        const container = deployment.spec!.template!.spec.containers[0];
        const variable = databaseUrlVariable(service);
        expect(container.env?.find((candidate) => candidate.name === variable)?.valueFrom?.secretKeyRef).toEqual({
          name: expect.any(String),
          key: variable,
          optional: false,
        });
        const dataDir = find(objects, 'ConfigMap', 'app-config')!.data!.DATA_DIR;
        expect({ service, mountedAtDataDir: container.volumeMounts?.filter((mount) => mount.mountPath === dataDir) ?? [] }).toEqual({
          service,
          mountedAtDataDir: [],
        });
      }
    },
  );

  test('the demo overlays set no autoscaler, so the scene alone decides how many pods run', () => {
    expect([...bugged, ...fixed].filter((o) => ['ScaledObject', 'HorizontalPodAutoscaler'].includes(o.kind))).toEqual([]);
  });
});

describe('the API key', () => {
  // The API on Kubernetes always requires its key (k8s/base/api.yaml); the demo reads it from
  // API_KEY and sends it with each order (scripts/demo/play.ts). The local demo needs none.
  test('--k8s without API_KEY (unset or empty) stops before any port-forward, and says how to get the key', async () => {
    for (const env of [{}, { API_KEY: '' }]) {
      expect(() => k8sApiKey(env)).toThrow(/--k8s needs API_KEY/);
    }
    expect(() => k8sApiKey({})).toThrow(
      `export API_KEY="$(kubectl -n temporal-orders get secret app-secrets -o 'jsonpath={.data.API_KEY}' | base64 -d)"`,
    );
    expect(k8sApiKey({ API_KEY: 'k' })).toBe('k');

    const saved = process.env.API_KEY;
    delete process.env.API_KEY;
    const log: string[] = [];
    try {
      await expect(startK8sTarget({ temporalPort: 1, uiPort: 1, apiPort: 1, log: (line) => log.push(line) })).rejects.toThrow(
        /--k8s needs API_KEY/,
      );
    } finally {
      if (saved !== undefined) process.env.API_KEY = saved;
    }
    expect(log).toEqual([]);
  });

  test('the Secret and key the demo names are the ones the API Deployment requires, in both demo overlays', () => {
    for (const objects of [bugged, fixed]) {
      const api = objects.find(
        (o) => o.kind === 'Deployment' && o.spec?.template?.spec.containers[0].env?.some((variable) => variable.name === 'API_KEY'),
      );
      expect(api?.spec?.template?.spec.containers[0].env?.find((variable) => variable.name === 'API_KEY')?.valueFrom?.secretKeyRef).toEqual(
        { ...K8S_NAMES.apiKeySecret, optional: false },
      );
    }
  });

  test('before the first order, a wrong key fails the demo with a clear message; the right one reaches the API and places nothing', async () => {
    // The real API with the key on. Its Temporal client has a namespace (read at build time) and
    // nothing else: a workflow started by the check would throw.
    const untouchable = new Proxy(
      { options: { namespace: 'default' } },
      {
        get: (target, property) => {
          if (property === 'options') return target.options;
          throw new Error(`the key check used the Temporal client (${String(property)})`);
        },
      },
    ) as unknown as Client;
    const app = await buildApp({ client: untouchable, uiUrl: 'http://localhost:8233', logLevel: 'silent', apiKey: 'right' });
    const answers: number[] = [];
    try {
      app.addHook('onResponse', async (_request, reply) => void answers.push(reply.statusCode));
      const apiUrl = await app.listen({ host: '127.0.0.1', port: 0 });
      await expect(checkApiKey(apiUrl, 'wrong')).rejects.toThrow(
        /the API refused API_KEY \(401\): it is not the key in the Secret app-secrets/,
      );
      await expect(checkApiKey(apiUrl, 'right')).resolves.toBeUndefined();
    } finally {
      await app.close();
    }
    expect(answers).toEqual([401, 400]);
  });
});

describe('kubectl accepts every command', () => {
  const commands: Command[] = [
    kubectl.applyShippingOverlay(true),
    kubectl.setWorkflowCodeBug(true),
    kubectl.setPaymentLimits({ gatewayLatencyMs: 600, maxConcurrentActivities: 2 }),
    kubectl.rolloutStatus('shipping'),
    kubectl.scale('payment', 0),
    kubectl.pods('payment'),
    kubectl.workerDeployments(),
    kubectl.portForward('api', 3000),
    kubectl.apiKeyOfSecret(),
  ];

  test.each(commands.map((command) => [commandLine(command), command] as const))('%s uses only flags its subcommand has', (_, command) => {
    // The subcommand: `apply`, `port-forward`, or two words for `rollout status` and `set env`.
    const verbs = command
      .slice(3)
      .filter((arg) => /^[a-z][a-z-]*$/.test(arg))
      .slice(0, ['rollout', 'set'].includes(command[3]) ? 2 : 1);
    const help = execFileSync('kubectl', [...verbs, '--help'], { encoding: 'utf8' });
    for (const flag of command.filter((arg) => arg.startsWith('-') && arg !== '-n').map((arg) => arg.split('=')[0]))
      expect({ flag, known: help.includes(flag) }).toEqual({ flag, known: true });
  });
});

describe('the view reads the Deployments', () => {
  test('ready pods per service, and the bugged shipping build from the overlay', () => {
    const items = bugged.filter((o) => o.kind === 'Deployment').map((o) => ({ ...o, status: { readyReplicas: 1 } }));
    const pods = podsOf(JSON.stringify({ items }));
    expect(pods.shipping).toEqual({ ready: 1, bugged: true });
    expect(pods.orders).toEqual({ ready: 1, bugged: false });
    expect(podsOf(JSON.stringify({ items: [] })).payment).toEqual({ ready: 0, bugged: false });
  });

  test('an orders Deployment that preloads the workflow-code bug counts as bugged', () => {
    const items = fixed
      .filter((o) => o.kind === 'Deployment')
      .map((o) =>
        o.metadata.name === K8S_NAMES.deployment('orders')
          ? withEnv(o, [{ name: 'NODE_OPTIONS', value: preloadingInImage('workflowCodeBug') }])
          : o,
      );
    expect(podsOf(JSON.stringify({ items })).orders.bugged).toBe(true);
    expect(podsOf(JSON.stringify({ items })).shipping.bugged).toBe(false);
  });

  test("the faults' paths in the image are where the Dockerfile puts the project", () => {
    const workdirs = [...fs.readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8').matchAll(/^WORKDIR (\S+)$/gm)].map(
      (match) => match[1],
    );
    expect(new Set(workdirs)).toEqual(new Set([IMAGE_ROOT]));
  });
});

const withEnv = (deployment: K8sObject, env: { name: string; value: string }[]): K8sObject => {
  const template = deployment.spec!.template!;
  return {
    ...deployment,
    spec: {
      ...deployment.spec,
      template: { ...template, spec: { ...template.spec, containers: [{ ...template.spec.containers[0], env }] } },
    },
  };
};
