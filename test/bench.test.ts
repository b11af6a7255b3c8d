import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../services/common/paths';

// The benchmarks are not timed tests: each runs here once with a tiny count, so it keeps working,
// and what it prints is checked for its figures and its verdict, never for a speed.

const run = promisify(execFile);
const bench = (script: string, args: string[]) =>
  run(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'bench', script), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });

test('the kill-storm benchmark prints both runs, their p95 ratio, and a reconciliation with nothing lost or doubled', async () => {
  const { stdout } = await bench('chaos.js', ['--orders', '10', '--rate', '4', '--kill-every-ms', '1200']);
  expect(stdout).toMatch(/^no faults : 10 orders in [\d.]+ s, [\d.]+ orders\/s, p50 \d+ ms, p95 \d+ ms, p99 \d+ ms$/m);
  expect(stdout).toMatch(/^kill-storm: 10 orders in [\d.]+ s, [\d.]+ orders\/s, p50 [\d.]+ m?s, p95 [\d.]+ m?s, p99 [\d.]+ m?s$/m);
  expect(stdout).toMatch(/^p95 under the kill-storm \/ p95 with no faults: [\d.]+$/m);
  expect(stdout).toMatch(/^faults: [1-9]\d* worker kills, Temporal down [\d.]+ s, API killed 1$/m);
  expect(stdout).toMatch(/^reconciliation: lost 0, charged twice 0$/m);
  expect(stdout).toMatch(/^workflow tasks timed out under the kill-storm: \d+, in \d+ orders$/m);
  expect(stdout).toMatch(/^orders over 3 × the no-fault p95 \([\d.]+ s\): \d+, by their longest wait:$/m);
  expect(stdout).toMatch(/^ {2}[\d.]+ s, ran [\d.]+ s, (order|shipment)-[\w-]+ waited [\d.]+ s: \w+( \(\w+\))? → \w+( \(\w+\))?$/m);
  expect(stdout).toMatch(/^Audit: PASSED$/m);
}, 240_000);

test('the throughput benchmark prints the bare workflow and the real system on one server, and their ratio', async () => {
  const { stdout } = await bench('throughput.js', ['--orders', '6', '--concurrency', '3', '--sequential', '2']);
  expect(stdout).toMatch(/^bare, 6 orders, 3 at a time: [\d.]+ orders\/s, start to result p50 [\d.]+ {2}p95/m);
  expect(stdout).toMatch(/^ours, 6 orders, 3 at a time, POST to completed: 6 orders in [\d.]+ s, [\d.]+ orders\/s, p50 \d+ ms/m);
  expect(stdout).toMatch(/^throughput, ours \/ bare: \d+\.\d\d$/m);
  // Where the CPU went: the server, the client, and each worker of both runs (and the API of ours).
  expect(stdout).toMatch(
    /^ {2}bare CPU per order: server [\d.]+ ms, client [\d.]+ ms, orders [\d.]+ ms, .*fraud [\d.]+ ms.* \(total [\d.]+ ms\)$/m,
  );
  expect(stdout).toMatch(
    /^ {2}ours CPU per order: server [\d.]+ ms, client [\d.]+ ms, api [\d.]+ ms, orders [\d.]+ ms, .*fraud [\d.]+ ms.* \(total [\d.]+ ms\)$/m,
  );
  expect(stdout).toMatch(/^ours, one at a time, POST to completed: 2 orders in/m);
}, 240_000);
