import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { projectRoot } from '../../../services/common/paths';
import { SERVICES, type ServiceName } from '../../../workflows/task-queues';
import type { Cluster, PodStatus } from '../cluster';
import { FAULT_NAMES } from '../faults';
import type { PaymentLimits } from '../payment-limits';
import { commandLine, kubectl, K8S_NAMES, preloadingInImage, type Command } from './kubectl';

// The Kubernetes driver: the scenes' verbs as kubectl commands (kubectl.ts) against the
// manifests in k8s/, run from the project root so the overlays' paths resolve.

const execFileAsync = promisify(execFile);

/** Runs a kubectl command and returns its output; a failure carries kubectl's own message. */
export async function runKubectl(command: Command): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command[0], command.slice(1), { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`${commandLine(command)} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

interface DeploymentList {
  items: {
    metadata: { name: string };
    status?: { readyReplicas?: number };
    spec: {
      template: { metadata?: { labels?: Record<string, string> }; spec: { containers: { env?: { name: string; value?: string }[] }[] } };
    };
  }[];
}

// The view asks every second; kubectl is asked at most this often.
const PODS_CACHE_MS = 2_000;

export class K8sCluster implements Cluster {
  private cached?: { at: number; pods: Promise<Record<ServiceName, PodStatus>> };

  constructor(
    private readonly log: (line: string) => void,
    /** Runs one command; tests pass a recorder. */
    private readonly run: (command: Command) => Promise<string> = runKubectl,
  ) {}

  async setShippingBugged(bugged: boolean): Promise<void> {
    await this.step(kubectl.applyShippingOverlay(bugged));
    await this.step(kubectl.rolloutStatus('shipping'));
  }

  async setWorkflowCodeBugged(bugged: boolean): Promise<void> {
    await this.step(kubectl.setWorkflowCodeBug(bugged));
    await this.step(kubectl.rolloutStatus('orders'));
  }

  async setPaymentLimits(limits: PaymentLimits | undefined): Promise<void> {
    await this.step(kubectl.setPaymentLimits(limits));
    await this.step(kubectl.rolloutStatus('payment'));
  }

  async scale(service: ServiceName, replicas: number): Promise<void> {
    await this.step(kubectl.scale(service, replicas));
    if (replicas > 0) return void (await this.step(kubectl.rolloutStatus(service)));
    // Scaled to zero: done once the last pod has drained and gone.
    for (const deadline = Date.now() + 120_000; (await this.run(kubectl.pods(service))).trim() !== ''; await sleep(2_000)) {
      if (Date.now() > deadline) throw new Error(`the ${K8S_NAMES.deployment(service)} pods were still there 120s after scaling to 0`);
    }
  }

  pods(): Promise<Record<ServiceName, PodStatus>> {
    if (!this.cached || Date.now() - this.cached.at > PODS_CACHE_MS) {
      this.cached = { at: Date.now(), pods: this.run(kubectl.workerDeployments()).then(podsOf) };
    }
    return this.cached.pods;
  }

  private async step(command: Command): Promise<void> {
    this.log(`$ ${commandLine(command)}`);
    await this.run(command);
    this.cached = undefined;
  }
}

/** Ready pods per service, and whether the Deployment runs a demo's bugged build. */
export function podsOf(json: string): Record<ServiceName, PodStatus> {
  const { items } = JSON.parse(json) as DeploymentList;
  return Object.fromEntries(
    SERVICES.map((service) => {
      const deployment = items.find((item) => item.metadata.name === K8S_NAMES.deployment(service));
      const template = deployment?.spec.template;
      const env = template?.spec.containers.flatMap((container) => container.env ?? []) ?? [];
      const bugged =
        template?.metadata?.labels?.['demo.temporal.io/variant'] === 'bugged' ||
        env.some(({ name, value }) => name === 'NODE_OPTIONS' && FAULT_NAMES.some((fault) => value === preloadingInImage(fault)));
      return [service, { ready: deployment?.status?.readyReplicas ?? 0, bugged }];
    }),
  ) as Record<ServiceName, PodStatus>;
}
