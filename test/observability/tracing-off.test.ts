import fs from 'node:fs';
import { workflowBundlePaths } from '../../services/common/paths';
import { startWorkerTracing } from '../../services/common/tracing-worker';

// Tracing that is off costs a worker nothing: it runs the bundle without the tracing workflow
// interceptors and has no tracing plugin. (That tracing that is on reaches every workflow and
// activity is tracing.test.ts.)

const bundle = (which: keyof typeof workflowBundlePaths) => fs.readFileSync(workflowBundlePaths[which], 'utf8');

afterEach(() => {
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
});

test('both bundles hold the same workflows; only the traced one has the tracing workflow interceptors', () => {
  for (const which of ['traced', 'untraced'] as const) {
    expect(bundle(which)).toMatch(/function OrderWorkflow\(/);
    expect(bundle(which)).toMatch(/function ShipmentWorkflow\(/);
  }
  expect(bundle('traced')).toMatch(/class OpenTelemetryInboundInterceptor\b/);
  expect(bundle('untraced')).not.toMatch(/OpenTelemetryInboundInterceptor/);
});

test('a worker that exports no spans runs the untraced bundle, without the tracing plugin', async () => {
  const tracing = startWorkerTracing('orders');
  expect(tracing.exporting).toBe(false);
  expect(tracing.workflowBundlePath).toBe(workflowBundlePaths.untraced);
  expect(tracing.plugins).toEqual([]);
  await tracing.shutdown();
});

test('a worker that exports spans runs the traced bundle, with the plugin its workflow spans leave through', async () => {
  // Nothing is sent before a span ends, so the endpoint need not answer.
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:9';
  const tracing = startWorkerTracing('orders');
  expect(tracing.exporting).toBe(true);
  expect(tracing.workflowBundlePath).toBe(workflowBundlePaths.traced);
  expect(tracing.plugins.map((plugin) => plugin.name)).toEqual(['OpenTelemetryPlugin']);
  await tracing.shutdown();
});
