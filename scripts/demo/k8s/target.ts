import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../../services/common/paths';
import { connectTemporalClient } from '../../../services/common/temporal-connection';
import { stopProcess } from '../../lib/processes';
import type { DemoTarget } from '../cluster';
import { auditThroughApi } from './api-audit';
import { K8sCluster } from './cluster';
import { commandLine, kubectl, K8S_NAMES, type Command } from './kubectl';

// The Kubernetes target: the application deployed from k8s/ (with the demo overlays), reached
// through kubectl port-forwards on 127.0.0.1: Temporal's frontend for the live view, its Web UI
// for the links, and the API for the orders and the audit. The API there always requires its
// key (the app-secrets Secret), so the demo needs it in API_KEY and sends it with each order.

export interface K8sOptions {
  temporalPort: number;
  uiPort: number;
  apiPort: number;
  log: (line: string) => void;
}

/** The API key from the environment; without one, an error that says how to get it, before anything starts. */
export function k8sApiKey(env: NodeJS.ProcessEnv = process.env): string {
  const key = env.API_KEY;
  if (key) return key;
  const { name, key: field } = K8S_NAMES.apiKeySecret;
  throw new Error(
    `--k8s needs API_KEY: the API on Kubernetes requires the key of the Secret ${name} on every POST. Set it with\n` +
      `  export API_KEY="$(${commandLine(kubectl.apiKeyOfSecret())} | base64 -d)"\n` +
      `(no such Secret yet? see docs/deployment.md: it holds ${field}).`,
  );
}

/** Fails now, not at the first order, if the API refuses the key: `POST /orders {}` is a 401 with a wrong key, a 400 (and no order) with the right one. */
export async function checkApiKey(apiUrl: string, apiKey: string): Promise<void> {
  const response = await fetch(`${apiUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: '{}',
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status === 401) {
    throw new Error(
      `the API refused API_KEY (401): it is not the key in the Secret ${K8S_NAMES.apiKeySecret.name}. Read it with: ${commandLine(kubectl.apiKeyOfSecret())} | base64 -d`,
    );
  }
}

export async function startK8sTarget({ temporalPort, uiPort, apiPort, log }: K8sOptions): Promise<DemoTarget> {
  const apiKey = k8sApiKey();
  const forwards: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(forwards.map((forward) => stopProcess(forward, 5_000)));
  };
  try {
    for (const [target, port] of [
      ['temporal-frontend', temporalPort],
      ['temporal-web', uiPort],
      ['api', apiPort],
    ] as const) {
      forwards.push(await portForward(kubectl.portForward(target, port), port, log));
    }
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await checkApiKey(apiUrl, apiKey);
    const namespace = K8S_NAMES.temporalNamespaceOfWorkers;
    // The cluster's payload keys must be in this shell's ENCRYPTION_KEYS (or ENCRYPTION_KEYS_FILE) to read its orders.
    const { client, connection } = await connectTemporalClient({ address: `127.0.0.1:${temporalPort}`, namespace });
    return {
      description: `Kubernetes namespace ${K8S_NAMES.namespace}, via kubectl`,
      cluster: new K8sCluster(log),
      client,
      namespace,
      apiUrl,
      uiUrl: `http://localhost:${uiPort}`,
      notes: [`API ${apiUrl} · Web UI http://localhost:${uiPort} (port-forwards)`],
      audit: (placed) => auditThroughApi(apiUrl, placed),
      stop: async () => {
        await connection.close();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts a port-forward and resolves once the local port accepts connections. */
async function portForward(command: Command, port: number, log: (line: string) => void): Promise<ChildProcess> {
  log(`$ ${commandLine(command)} &`);
  const child = spawn(command[0], command.slice(1), { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  for (const deadline = Date.now() + 30_000; !(await accepts(port)); await sleep(250)) {
    if (child.exitCode !== null) throw new Error(`${commandLine(command)} exited: ${stderr.trim()}`);
    if (Date.now() > deadline) throw new Error(`${commandLine(command)} did not listen on ${port} within 30s: ${stderr.trim()}`);
  }
  return child;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
