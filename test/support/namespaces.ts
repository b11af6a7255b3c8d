/**
 * Each test file runs its workflows in a namespace of its own, so a file's workers never pick up
 * another file's tasks. The global setup creates all of them when it starts the dev server.
 */
export const TEST_NAMESPACES = [
  'e2e',
  'orders',
  'compensation',
  'approval',
  'cancellation',
  'resilience',
  'replay',
  'api',
  'api-stack',
  'read-path',
  'demo',
  'launcher',
  'cluster',
  'web-shop',
  'web-order-page',
  'web-dashboard',
  'security',
  'tracing',
  'order-map',
  'web-ui',
  'observability-logs',
  'observability-metrics',
  'fraud',
  'fraud-postgres',
  'search-attributes',
  'versioning-pinned',
  'versioning-ramp',
] as const;

export type TestNamespace = (typeof TEST_NAMESPACES)[number];
