import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundlePath } from '../services/common/paths';
import { startWorkerTracing } from '../services/common/tracing-worker';
import { HISTORIES_DIR } from './support/histories';

// Determinism, proven: histories recorded from real runs (`npm run record-histories`) are
// replayed against the workflow bundle the workers ship. A change that would make a running
// order take a different path fails here, before it reaches a worker.
const fixtures = fs.readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json'));

test('there is a recorded history for every path the replay must guard', () => {
  expect(fixtures.map((file) => path.basename(file, '.json')).sort()).toEqual(
    expect.arrayContaining([
      'happy-path',
      'declined-card',
      'shipping-failed-compensation',
      'cancelled-during-payment',
      'approval-approved',
      'approval-timed-out',
      'shipment-delivered',
      'fraud-screened',
      'fraud-rejected',
    ]),
  );
});

// The tracing plugin, as the workers have it: the bundle's workflow interceptors hand their spans to its sink.
const { plugin: tracingPlugin } = startWorkerTracing('orders');

test.each(fixtures)('%s replays without a nondeterminism error', async (file) => {
  const history = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
  await expect(
    Worker.runReplayHistory(
      { workflowBundle: { codePath: workflowBundlePath }, plugins: [tracingPlugin] },
      history,
      path.basename(file, '.json'),
    ),
  ).resolves.toBeUndefined();
});
