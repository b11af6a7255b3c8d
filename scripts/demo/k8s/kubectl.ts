import path from 'node:path';
import { projectRoot } from '../../../services/common/paths';
import type { ServiceName } from '../../../workflows/task-queues';
import { FAULTS, type Fault } from '../faults';
import { PAYMENT_LIMIT_SETTINGS, paymentLimitsEnv, type PaymentLimits } from '../payment-limits';

// Every kubectl command the Kubernetes demo runs, as argv arrays, generated from the names in
// k8s/ (checked against the manifests by test/demo-k8s.test.ts). Nothing here runs anything.

/** The names the demo relies on, as the manifests in k8s/ define them. */
export const K8S_NAMES = {
  /** The application's namespace (k8s/base/kustomization.yaml; the overlays keep it). */
  namespace: 'temporal-orders',
  /** Temporal's namespace and Services (k8s/temporal/dev-server; the Helm release uses the same names). */
  temporalNamespace: 'temporal',
  temporalFrontend: { service: 'temporal-frontend', port: 7233 },
  temporalWeb: { service: 'temporal-web', port: 8080 },
  api: { service: 'api', port: 80 },
  /** The Secret key the API Deployment requires as API_KEY (k8s/base/api.yaml). */
  apiKeySecret: { name: 'app-secrets', key: 'API_KEY' },
  /** The Temporal namespace the workers poll (TEMPORAL_NAMESPACE in the app-config ConfigMap). */
  temporalNamespaceOfWorkers: 'default',
  overlays: { bugged: 'k8s/overlays/bugged-shipping', fixed: 'k8s/overlays/fixed-shipping' },
  deployment: (service: ServiceName): string => `${service}-worker`,
  /** The label selecting a worker Deployment's pods. */
  podLabel: (service: ServiceName): string => `app.kubernetes.io/name=${service}-worker`,
  workerLabel: 'app.kubernetes.io/component=worker',
} as const;

/** Where the image keeps the project (the Dockerfile's WORKDIR). */
export const IMAGE_ROOT = '/app';

/** The NODE_OPTIONS that preload a demo fault in a container of the image. */
export const preloadingInImage = (fault: Fault): string =>
  `--require ${path.posix.join(IMAGE_ROOT, path.relative(projectRoot, FAULTS[fault]))}`;

export type Command = readonly string[];

const app = (...args: string[]): Command => ['kubectl', '-n', K8S_NAMES.namespace, ...args];

export const kubectl = {
  /** Rolls the shipping Deployment to the bugged or the fixed build (the two demo overlays). */
  applyShippingOverlay: (bugged: boolean): Command => app('apply', '-k', bugged ? K8S_NAMES.overlays.bugged : K8S_NAMES.overlays.fixed),

  /** Rolls the orders Deployment to the bugged workflow code (the fault preloaded) or back to the shipped code (nothing preloaded). */
  setWorkflowCodeBug: (bugged: boolean): Command =>
    app(
      'set',
      'env',
      `deployment/${K8S_NAMES.deployment('orders')}`,
      bugged ? `NODE_OPTIONS=${preloadingInImage('workflowCodeBug')}` : 'NODE_OPTIONS-',
    ),

  /** Rolls the payment Deployment to pods held to the surge scene's limits, or back to its own settings. */
  setPaymentLimits: (limits: PaymentLimits | undefined): Command =>
    app(
      'set',
      'env',
      `deployment/${K8S_NAMES.deployment('payment')}`,
      ...(limits
        ? Object.entries(paymentLimitsEnv(limits)).map(([name, value]) => `${name}=${value}`)
        : PAYMENT_LIMIT_SETTINGS.map((name) => `${name}-`)),
    ),

  /** Waits until a Deployment's rollout (or scale-up) is complete. */
  rolloutStatus: (service: ServiceName): Command =>
    app('rollout', 'status', `deployment/${K8S_NAMES.deployment(service)}`, '--timeout=300s'),

  scale: (service: ServiceName, replicas: number): Command =>
    app('scale', `deployment/${K8S_NAMES.deployment(service)}`, `--replicas=${replicas}`),

  /** The names of a service's pods, terminating ones included. */
  pods: (service: ServiceName): Command => app('get', 'pods', '-l', K8S_NAMES.podLabel(service), '-o', 'name'),

  /** Every worker Deployment, with its ready replicas and pod template. */
  workerDeployments: (): Command => app('get', 'deployments', '-l', K8S_NAMES.workerLabel, '-o', 'json'),

  /** Prints the API key from its Secret, base64-encoded (shown to the presenter; the demo never runs it). */
  apiKeyOfSecret: (): Command => app('get', 'secret', K8S_NAMES.apiKeySecret.name, '-o', `jsonpath={.data.${K8S_NAMES.apiKeySecret.key}}`),

  /** Forwards a local port (on 127.0.0.1 only) to a Service: Temporal's frontend and Web UI, and the API. */
  portForward: (target: 'temporal-frontend' | 'temporal-web' | 'api', localPort: number): Command => {
    const { service, port } =
      target === 'api' ? K8S_NAMES.api : target === 'temporal-web' ? K8S_NAMES.temporalWeb : K8S_NAMES.temporalFrontend;
    const namespace = target === 'api' ? K8S_NAMES.namespace : K8S_NAMES.temporalNamespace;
    return ['kubectl', '-n', namespace, 'port-forward', '--address', '127.0.0.1', `svc/${service}`, `${localPort}:${port}`];
  },
};

/** A command as a person would type it. */
export const commandLine = (command: Command): string => command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ');
