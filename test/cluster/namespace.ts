import type { TestNamespace } from '../support/namespaces';

/** The namespace of the cluster suite's own tests; the global setup creates it beside the default suite's. */
// test/support/namespaces.ts lists the default suite's namespaces, and TestStack takes only those.
export const CLUSTER_NAMESPACE = 'cluster' as TestNamespace;
