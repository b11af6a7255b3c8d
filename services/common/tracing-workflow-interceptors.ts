// Bundled into the workflow code (scripts/bundle-workflows.ts), so it runs in the sandbox: a span
// per workflow run, activity and child start, continuing the trace from the workflow's headers and
// passing it on in theirs. Its spans leave through the worker's exporter sink (tracing-worker.ts).
export { interceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';
