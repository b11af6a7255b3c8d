import type { RestartPolicy } from '../../lib/restart-policy';

/**
 * A killed worker is replaced half a second later, every time, as a Deployment replaces a deleted
 * pod: a kill-storm measures how Temporal and this code recover, not a supervisor's crash-loop backoff.
 */
export const REPLACE_AT_ONCE: RestartPolicy = { firstDelayMs: 500, maxDelayMs: 500, resetAfterMs: 0 };
