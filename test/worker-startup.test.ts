import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startDevServer } from '../scripts/lib/dev-server';
import { entryPoint, ServiceProcess } from '../scripts/lib/launcher';
import { eventually } from './api/support';

// How a worker starts when Temporal is not there yet (a cluster coming up, a server restarting):
// it waits and says so, instead of exiting into a crash loop; and a wrong address is one line.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-startup-'));
const logFile = path.join(dataDir, 'payment.log');
const attemptLines = (address: string) =>
  fs
    .readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes(`Temporal is not reachable at ${address}`));

test('a worker started before Temporal waits, unready, with one line per attempt, and polls once Temporal answers', async () => {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const worker = new ServiceProcess({
    service: 'payment',
    env: { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: 'default', DATA_DIR: dataDir, WORKER_SHUTDOWN_GRACE_TIME: '1s' },
    output: { logFile },
    restart: 'never',
    readyTimeoutMs: 90_000,
  });
  const ready = worker.start();
  try {
    await eventually(async () => expect(attemptLines(address).length).toBeGreaterThanOrEqual(3), 30_000);
    expect(worker.running).toBe(true);
    expect((await fetch(worker.readyUrl)).status).toBe(503);
    expect(attemptLines(address)[1]).toMatch(/\(Connection refused\); attempt 2, trying again in \d+(\.\d+)?s/);

    const server = await startDevServer({ port, namespaces: ['default'] });
    try {
      await ready;
      expect((await fetch(worker.readyUrl)).status).toBe(200);
    } finally {
      await worker.stop();
      await server.stop();
    }
  } finally {
    await worker.stop('SIGKILL');
  }
}, 120_000);

/** What a payment worker started with `env` prints on stderr before it exits. */
function startFailure(env: NodeJS.ProcessEnv): string[] {
  try {
    execFileSync(process.execPath, [entryPoint('payment')], {
      env: { ...process.env, DATA_DIR: dataDir, ...env },
      stdio: 'pipe',
      encoding: 'utf8',
      timeout: 30_000,
    });
  } catch (err) {
    return (err as { stderr: string }).stderr.trim().split('\n');
  }
  throw new Error('the worker did not exit');
}

test('a malformed TEMPORAL_ADDRESS stops the worker at start with one line that names it', () => {
  const lines = startFailure({ TEMPORAL_ADDRESS: 'http://not a host' });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^payment worker: TEMPORAL_ADDRESS: Invalid address/);
});

test('a setting that is not a number stops the worker at start with one line that names it, before it opens anything', () => {
  const lines = startFailure({ PAYMENT_GATEWAY_LATENCY_MS: 'fifty' });
  expect(lines).toEqual(['payment worker: PAYMENT_GATEWAY_LATENCY_MS must be a number, got "fifty"']);
});
