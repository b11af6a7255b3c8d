import fs from 'node:fs';
import path from 'node:path';
import { SERVICES, type ServiceName } from '../../../workflows/task-queues';
import { ServiceProcess, type ServiceSpec } from '../../lib/launcher';
import type { Cluster, PodStatus } from '../cluster';
import { preloading, type Fault } from '../faults';
import { paymentLimitsEnv, type PaymentLimits } from '../payment-limits';

// The local driver: a pod is a worker process. Replacing a build works like a Kubernetes
// rolling update (the new pod first, then the old one drains and stops); scaling starts or
// stops processes. Each pod's output goes to a log file of its own, so the live view stays clean.
// Pods are never restarted: the scenes take them down on purpose.

// A worker drains within WORKER_SHUTDOWN_GRACE_TIME (set by the local target); then it is killed.
const STOP_GRACE_MS = 15_000;

interface Pod {
  service: ServiceName;
  process: ServiceProcess;
  bugged: boolean;
}

/** A service's build: what its pods start with, and whether it is a bugged one. */
type Build = Pick<ServiceSpec, 'env' | 'nodeArgs'> & { bugged: boolean };

export class LocalCluster implements Cluster {
  private readonly fleet: Pod[] = [];
  private readonly builds = new Map<ServiceName, Build>(SERVICES.map((service) => [service, { bugged: false }]));
  private readonly podsStarted = new Map<ServiceName, number>();
  private readonly otherBuilds = new Map<string, ServiceProcess>();
  private api?: ServiceProcess;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logsDir: string,
    private readonly log: (line: string) => void,
  ) {
    fs.mkdirSync(logsDir, { recursive: true });
  }

  /** One pod per service, then the API on `port`; resolves once all of them are ready. */
  async start(apiPort: number): Promise<string> {
    await Promise.all(SERVICES.map((service) => this.startPod(service)));
    this.api = new ServiceProcess({ ...this.spec('api', { env: { HOST: '127.0.0.1' } }), port: apiPort });
    await this.api.start();
    return `http://127.0.0.1:${apiPort}`;
  }

  setShippingBugged(bugged: boolean): Promise<void> {
    return this.rollOut('shipping', buildWith(bugged && 'labelBug'));
  }

  setWorkflowCodeBugged(bugged: boolean): Promise<void> {
    return this.rollOut('orders', buildWith(bugged && 'workflowCodeBug'));
  }

  setPaymentLimits(limits: PaymentLimits | undefined): Promise<void> {
    return this.rollOut('payment', { env: limits && paymentLimitsEnv(limits), bugged: false });
  }

  async scale(service: ServiceName, replicas: number): Promise<void> {
    const running = this.running(service);
    const starting = Array.from({ length: Math.max(0, replicas - running.length) }, () => this.startPod(service));
    const stopping = running.slice(replicas).map((pod) => this.stopPod(pod));
    await Promise.all([...starting, ...stopping]);
  }

  async startOrdersBuild(buildId: string, bugged: boolean): Promise<void> {
    // Manual: this build takes only what Temporal routes to it; the scene moves the routing.
    const build = buildWith(bugged && 'workflowCodeBug');
    const env = { ...build.env, WORKER_BUILD_ID: buildId, WORKER_VERSION_ROLLOUT: 'manual' };
    const pod = new ServiceProcess(this.spec('orders', { env }, `orders-${buildId}`));
    this.otherBuilds.set(buildId, pod);
    await pod.start();
    this.log(`started ${pod.name}${bugged ? ' (bugged build)' : ''}, pid ${pod.pid}`);
  }

  async stopOrdersBuild(buildId: string): Promise<void> {
    await this.otherBuilds.get(buildId)?.stop('SIGTERM', STOP_GRACE_MS);
    this.otherBuilds.delete(buildId);
    this.log(`stopped orders-${buildId}`);
  }

  async pods(): Promise<Record<ServiceName, PodStatus>> {
    return Object.fromEntries(
      SERVICES.map((service) => {
        const running = this.running(service);
        return [service, { ready: running.length, bugged: running.some((pod) => pod.bugged) }];
      }),
    ) as Record<ServiceName, PodStatus>;
  }

  /** Stops the API, then every pod (they drain). */
  async stop(): Promise<void> {
    await this.api?.stop('SIGTERM', STOP_GRACE_MS);
    await Promise.all([
      ...this.fleet.filter((pod) => pod.process.running).map((pod) => this.stopPod(pod)),
      ...[...this.otherBuilds.keys()].map((buildId) => this.stopOrdersBuild(buildId)),
    ]);
  }

  /** Replaces every pod of a service with one of the new build, new pods first. */
  private async rollOut(service: ServiceName, build: Build): Promise<void> {
    const old = this.running(service);
    this.builds.set(service, build);
    await Promise.all(Array.from({ length: Math.max(1, old.length) }, () => this.startPod(service)));
    await Promise.all(old.map((pod) => this.stopPod(pod)));
  }

  private running(service: ServiceName): Pod[] {
    return this.fleet.filter((pod) => pod.service === service && pod.process.running);
  }

  private async startPod(service: ServiceName): Promise<void> {
    const { bugged, ...build } = this.builds.get(service)!;
    const number = (this.podsStarted.get(service) ?? 0) + 1;
    this.podsStarted.set(service, number);
    const pod: Pod = { service, process: new ServiceProcess(this.spec(service, build, `${service}-${number}`)), bugged };
    this.fleet.push(pod);
    await pod.process.start();
    this.log(`started ${pod.process.name}${bugged ? ' (bugged build)' : ''}, pid ${pod.process.pid}`);
  }

  private async stopPod(pod: Pod): Promise<void> {
    await pod.process.stop('SIGTERM', STOP_GRACE_MS);
    this.log(`stopped ${pod.process.name}`);
  }

  private spec(service: ServiceSpec['service'], { env, nodeArgs }: Omit<Build, 'bugged'>, name: string = service): ServiceSpec {
    return {
      service,
      name,
      env: { ...this.env, ...env },
      nodeArgs,
      output: { logFile: path.join(this.logsDir, `${name}.log`) },
      restart: 'never',
      notify: this.log,
    };
  }
}

/** The fixed build, or the bugged one: the same worker with the fault's module preloaded. */
const buildWith = (fault: Fault | false): Build => (fault ? { env: { NODE_OPTIONS: preloading(fault) }, bugged: true } : { bugged: false });
