import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { entryPoint, type ServiceKind } from '../../scripts/lib/launcher';
import { startTemporalCluster, type TemporalCluster } from '../../scripts/lib/temporal-cluster';
import { clientTlsEnvironment, type TemporalServerTls } from '../../scripts/lib/temporal-server-tls';
import type { DemoTarget } from '../../scripts/demo/cluster';
import { startLocalTarget } from '../../scripts/demo/local/stack';
import { OrderStream } from '../../scripts/demo/order-stream';
import { createCertificateAuthority, type CertificateFiles } from '../support/certs';
import { CLUSTER_NAMESPACE } from './namespace';

// mTLS for real: a Temporal server whose frontend requires a client certificate from the
// project's CA. A cluster of this file's own, so the rest of the suite keeps its plaintext one
// and its clients need no certificates.

const run = promisify(execFile);
const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orders-mtls-'));
let cluster: TemporalCluster;
let tls: TemporalServerTls;
let stranger: CertificateFiles;
let demo: DemoTarget | undefined;

beforeAll(async () => {
  const ca = createCertificateAuthority(certDir, 'orders-ca');
  const server = ca.issue('temporal-server');
  const client = ca.issue('orders-client');
  stranger = createCertificateAuthority(path.join(certDir, 'other'), 'other-ca').issue('stranger-client');
  tls = { caCert: ca.cert, serverCert: server.cert, serverKey: server.key, clientCert: client.cert, clientKey: client.key };
  cluster = await startTemporalCluster({ namespaces: [CLUSTER_NAMESPACE], tls });
  // Every process this file starts, and its own clients, read these: the client certificate.
  Object.assign(process.env, { TEMPORAL_ADDRESS: cluster.address, ...clientTlsEnvironment(tls) });
}, 300_000);

afterAll(async () => {
  await demo?.stop();
  await cluster?.stop();
  fs.rmSync(certDir, { recursive: true, force: true });
}, 120_000);

/** Runs a service's entry point with `env` on top of this one's, and returns its exit code and stderr once it exits. */
async function startAndExit(service: ServiceKind, env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string[] }> {
  const dataDir = fs.mkdtempSync(path.join(certDir, 'refused-'));
  try {
    await run(process.execPath, [entryPoint(service)], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', TEMPORAL_NAMESPACE: CLUSTER_NAMESPACE, ...env },
      timeout: 60_000,
    });
  } catch (err) {
    const { code, stderr } = err as { code: number; stderr: string };
    return { code, stderr: stderr.trim().split('\n') };
  }
  throw new Error(`${service} exited with 0`);
}

const NO_CLIENT_CERT = { TEMPORAL_TLS_CLIENT_CERT_PATH: '', TEMPORAL_TLS_CLIENT_KEY_PATH: '' };

test('the demo starts its workers and API with the client certificate, and orders placed through the API complete', async () => {
  demo = await startLocalTarget({
    temporalAddress: cluster.address,
    uiPort: 8233,
    namespace: CLUSTER_NAMESPACE,
    transitMs: 300,
    log: () => undefined,
  });
  const stream = new OrderStream({ apiUrl: demo.apiUrl, customerId: 'mtls-demo-run', ordersPerSecond: 5, maxOrders: 4 });
  stream.start();
  while (!stream.done && !stream.failure) await sleep(100);
  await stream.stop();
  expect(stream.failure).toBeUndefined();
  expect(stream.placed).toHaveLength(4);

  const ended = await Promise.all(stream.placed.map(({ workflowId }) => demo!.client.workflow.getHandle(workflowId).result()));
  expect(ended.map(({ status }) => status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  const audit = await demo.audit(stream.placed);
  expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
}, 180_000);

test('a worker without a client certificate exits 1 at start with one line naming TEMPORAL_TLS_CLIENT_CERT_PATH', async () => {
  const { code, stderr } = await startAndExit('payment', NO_CLIENT_CERT);
  expect(code).toBe(1);
  expect(stderr).toEqual([
    expect.stringMatching(
      new RegExp(
        `^payment worker: TEMPORAL_TLS_CLIENT_CERT_PATH is unset and Temporal at ${cluster.address} refused the connection \\(.+\\): it requires a client certificate$`,
      ),
    ),
  ]);
}, 90_000);

test('a worker whose client certificate another CA signed exits 1 at start with one line naming TEMPORAL_TLS_CLIENT_CERT_PATH', async () => {
  const { code, stderr } = await startAndExit('inventory', {
    TEMPORAL_TLS_CLIENT_CERT_PATH: stranger.cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: stranger.key,
  });
  expect(code).toBe(1);
  expect(stderr).toEqual([
    expect.stringMatching(
      new RegExp(
        `^inventory worker: TEMPORAL_TLS_CLIENT_CERT_PATH: Temporal at ${cluster.address} refused the client certificate \\(.+\\)$`,
      ),
    ),
  ]);
}, 90_000);

test('the API without a client certificate exits 1 soon after start with one line naming TEMPORAL_TLS_CLIENT_CERT_PATH', async () => {
  const { code, stderr } = await startAndExit('api', NO_CLIENT_CERT);
  expect(code).toBe(1);
  expect(stderr.filter((line) => !line.startsWith('{'))).toEqual([
    expect.stringMatching(
      /^api: TEMPORAL_TLS_CLIENT_CERT_PATH is unset and Temporal at .+ refused the connection \(.+\): it requires a client certificate$/,
    ),
  ]);
}, 90_000);
