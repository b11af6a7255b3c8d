import type { Client } from '@temporalio/client';
import type { ServiceName } from '../../workflows/task-queues';
import type { AuditReport, PlacedOrder } from './audit';
import type { PaymentLimits } from './payment-limits';

// What the scenes act on. A scene says what happens ("the shipping pod runs the bugged build");
// a driver says how: processes on this machine (local/), or kubectl against k8s/ (k8s/).

/** The pods of one service, as the driver sees them. */
export interface PodStatus {
  /** Pods running (locally) or ready (on Kubernetes). */
  ready: number;
  /** Whether they run a demo's bugged build. */
  bugged: boolean;
}

/** The verbs of the live demo, the same on every driver. */
export interface Cluster {
  /** Replaces the shipping pods with the build whose label printing crashes, or with the fixed build. */
  setShippingBugged(bugged: boolean): Promise<void>;
  /** Replaces the orders pods with the workflow code that has a bug after the payment, or with the fixed code. */
  setWorkflowCodeBugged(bugged: boolean): Promise<void>;
  /** Replaces the payment pods with ones held to these limits (the surge scene), or with the usual ones. */
  setPaymentLimits(limits: PaymentLimits | undefined): Promise<void>;
  /** Sets how many pods a service runs: 0 takes the service down. Resolves once they run (or are gone). */
  scale(service: ServiceName, replicas: number): Promise<void>;
  /** The pods of every service, now. */
  pods(): Promise<Record<ServiceName, PodStatus>>;
  /**
   * Starts an orders pod of another build, version `buildId` of the orders deployment, beside the
   * running ones; Temporal routes to it only once it is made current or ramping. Absent where the
   * driver cannot run two builds at once (k8s: that is the Temporal Worker Controller's job).
   */
  startOrdersBuild?(buildId: string, bugged: boolean): Promise<void>;
  /** Stops the pods of that build (they drain). */
  stopOrdersBuild?(buildId: string): Promise<void>;
}

/** The Temporal server, when the demo started it itself and so may take it down. */
export interface OwnedTemporalServer {
  /** SIGKILLs it, as a crash would. */
  crash(): Promise<void>;
  /** Starts it again on the same data file and port; resolves once it answers. */
  restart(): Promise<void>;
}

/** A running system the demo plays on: its cluster, a Temporal client, and the addresses people open. */
export interface DemoTarget {
  /** "local processes" or "kubectl, namespace temporal-orders": shown in the view. */
  description: string;
  cluster: Cluster;
  /** A client in the namespace the workers poll. */
  client: Client;
  namespace: string;
  apiUrl: string;
  uiUrl: string;
  /** Present only when the demo started the Temporal server (locally); a server it attached to is never taken down. */
  temporalServer?: OwnedTemporalServer;
  /** Things worth printing before the first scene (log folder, data folder). */
  notes: string[];
  /** Checks that every order placed was handled once, from what the target can read. */
  audit(placed: PlacedOrder[]): Promise<AuditReport>;
  /** Stops whatever the demo started. */
  stop(): Promise<void>;
}
