import type { TestNamespace } from '../support/namespaces';

/** The namespace of the cluster suite's own tests. */
export const CLUSTER_NAMESPACE: TestNamespace = 'cluster';
