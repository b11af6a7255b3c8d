import path from 'node:path';
import { projectRoot } from '../../../services/common/paths';

// The live demo's faults, injected from outside the reference code: a pod of a bugged build is
// the same worker with one of these modules preloaded (`node --require`, here through
// NODE_OPTIONS, which works the same for a local process, a container and a Kubernetes pod).
// Each module adds a Temporal WorkerPlugin; workflows/ and services/ contain no demo switch.

const compiled = (name: string): string => path.join(projectRoot, 'dist', 'scripts', 'demo', 'faults', `${name}.js`);

/** The preload modules of the bugged builds, as compiled into dist/. */
export const FAULTS = {
  /** The shipping build whose label printing crashes: every booking attempt fails and is retried. */
  labelBug: compiled('label-bug'),
  /** The orders build whose workflow code throws between payment and shipping: the workflow task fails. */
  workflowCodeBug: compiled('workflow-code-bug'),
} as const;

export type Fault = keyof typeof FAULTS;

export const FAULT_NAMES = Object.keys(FAULTS) as Fault[];

/** The NODE_OPTIONS that start a worker with a fault preloaded. */
export const preloading = (fault: Fault): string => `--require ${JSON.stringify(FAULTS[fault])}`;

/** The demo's bugged bundle of the workflow code: the shipped workflows plus the bug's workflow interceptor. */
export const buggedWorkflowBundlePath = path.join(projectRoot, 'dist', 'demo', 'workflow-bundle.bugged.js');
