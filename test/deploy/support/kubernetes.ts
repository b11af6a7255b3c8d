import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { isRecord, parseYamlDocuments, ROOT } from './repo';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
};

interface ValidationIssue {
  instancePath: string;
  message?: string;
}
type Validator = (object: unknown) => ValidationIssue[];

/**
 * The JSON-schema validator of a kind, from the registry packages that ship the Kubernetes
 * OpenAPI schemas (kubernetes-models, Kubernetes 1.27) and KEDA's CRD schemas (@kubernetes-models/keda).
 */
function validatorFor(apiVersion: string, kind: string): Validator {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const modulePath =
    group === 'keda.sh'
      ? `@kubernetes-models/keda/keda.sh/${version}/${kind}`
      : `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
  let Model: new (data: unknown) => { validate(): void };
  try {
    Model = (require(modulePath) as Record<string, typeof Model>)[kind];
  } catch {
    throw new Error(`no schema for ${apiVersion} ${kind} (looked for ${modulePath})`);
  }
  if (typeof Model !== 'function') throw new Error(`no schema for ${apiVersion} ${kind} in ${modulePath}`);
  return (object) => {
    try {
      new Model(object).validate();
      return [];
    } catch (error) {
      const errors = (error as { errors?: ValidationIssue[] }).errors;
      if (!errors) throw error;
      return errors;
    }
  };
}

/** The JSON pointer ("/spec/template") of every field of a value, at any depth, array items included. */
function fieldPointers(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => fieldPointers(item, `${prefix}/${index}`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const pointer = `${prefix}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    return [pointer, ...fieldPointers(child, pointer)];
  });
}

function withValueAt(object: unknown, pointer: string, replacement: unknown): unknown {
  const copy = structuredClone(object) as Record<string, unknown>;
  const keys = pointer
    .split('/')
    .slice(1)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  let parent: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  parent[keys[keys.length - 1]] = replacement;
  return copy;
}

/**
 * Field names the schema does not know (a typo, or a field in the wrong place), which the
 * schema packages accept because Kubernetes' OpenAPI does not forbid extra properties while
 * the API server rejects or drops them. A field is known when putting a value of the wrong
 * type there (a boolean, then an object) makes the schema complain at that path.
 */
function unknownFields(object: unknown, validate: Validator): string[] {
  const unknown: string[] = [];
  for (const pointer of fieldPointers(object)) {
    if (unknown.some((parent) => pointer.startsWith(`${parent}/`))) continue;
    const complainsAt = (probe: unknown) =>
      validate(withValueAt(object, pointer, probe)).some(
        (issue) => issue.instancePath === pointer || issue.instancePath.startsWith(`${pointer}/`),
      );
    if (!complainsAt(true) && !complainsAt({})) unknown.push(pointer);
  }
  return unknown;
}

/** Problems of one object against its kind's schema: schema errors, then unknown fields. */
export function validateObject(object: unknown): string[] {
  if (!isRecord(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
    return ['not a Kubernetes object (no apiVersion and kind)'];
  }
  const validate = validatorFor(object.apiVersion, object.kind);
  const issues = validate(object).map((issue) => `${issue.instancePath || '/'} ${issue.message ?? 'is invalid'}`);
  if (issues.length > 0) return issues;
  return unknownFields(object, validate).map((pointer) => `${pointer} is not a field of ${object.apiVersion} ${object.kind}`);
}

/** `kubectl kustomize <dir>`: the objects a kustomization renders. */
export function kustomize(relativeDir: string): K8sObject[] {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', path.join(ROOT, relativeDir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: string };
    if (code === 'ENOENT') throw new Error('kubectl is needed to render the kustomizations (kubectl kustomize): install kubectl');
    throw new Error(`kubectl kustomize ${relativeDir} failed: ${stderr ?? error}`);
  }
  return parseYamlDocuments(output, relativeDir) as K8sObject[];
}

export const ofKind = <T extends K8sObject = K8sObject>(objects: K8sObject[], kind: string): T[] =>
  objects.filter((object) => object.kind === kind) as T[];

export function named<T extends K8sObject>(objects: T[], name: string): T {
  const found = objects.find((object) => object.metadata.name === name);
  if (!found) throw new Error(`no ${objects[0]?.kind ?? 'object'} named ${name}`);
  return found;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string; optional?: boolean };
      configMapKeyRef?: { name: string; key: string; optional?: boolean };
    };
  }[];
  envFrom?: { configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
export interface Probe {
  httpGet?: { path: string; port: string | number };
  tcpSocket?: { port: string | number };
}
export interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  topologySpreadConstraints?: {
    maxSkew: number;
    topologyKey: string;
    whenUnsatisfiable: string;
    labelSelector?: { matchLabels?: Record<string, string> };
  }[];
  volumes?: {
    name: string;
    emptyDir?: unknown;
    persistentVolumeClaim?: { claimName: string };
    secret?: { secretName: string; defaultMode?: number };
    configMap?: { name: string };
  }[];
}
export type Workload = K8sObject & {
  spec: {
    replicas?: number;
    strategy?: { type?: string };
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
};
export type PersistentVolumeClaim = K8sObject & {
  spec: { accessModes: string[]; storageClassName?: string; resources: { requests: { storage: string } } };
};

/** The port number a probe refers to, by number or by the container port's name. */
export function probePort(container: Container, probe: Probe): number {
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (typeof port === 'number') return port;
  const named = container.ports?.find((candidate) => candidate.name === port);
  if (!named) throw new Error(`${container.name}: probe port "${port}" is not a named port`);
  return named.containerPort;
}
