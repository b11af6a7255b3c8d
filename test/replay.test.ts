import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { workflowBundlePaths } from '../services/common/paths';
import { HISTORIES_DIR } from './support/histories';

// Determinism, proven: histories recorded from real runs (`npm run record-histories`) are
// replayed against each workflow bundle the workers ship. A change that would make a running
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

// The traced bundle runs with the tracing plugin, as a worker that exports spans has it: its workflow
// interceptors hand their spans to the plugin's sink (here, to a processor that drops them).
const bundles = [
  {
    bundle: 'traced',
    codePath: workflowBundlePaths.traced,
    plugins: [new OpenTelemetryPlugin({ resource: new Resource({}), spanProcessor: new NoopSpanProcessor() })],
  },
  { bundle: 'untraced', codePath: workflowBundlePaths.untraced, plugins: [] },
];

describe.each(bundles)('the $bundle bundle', ({ codePath, plugins }) => {
  test.each(fixtures)('%s replays without a nondeterminism error', async (file) => {
    const history = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath }, plugins }, history, path.basename(file, '.json')),
    ).resolves.toBeUndefined();
  });
});
