/** How a supervisor brings back a process that died on its own: doubling delays up to a cap, forgiven after a stable run. */
export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** A process that stayed up this long starts over at the first delay when it next dies. */
  resetAfterMs: number;
}

/** `npm start`'s policy: 1s, 2s, 4s... up to 30s, back to 1s after a minute up. */
export const RESTART_WITH_BACKOFF: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 30_000, resetAfterMs: 60_000 };

/** The delay before the `restart`-th restart in a row (counted from 1). */
export const restartDelayMs = ({ firstDelayMs, maxDelayMs }: RestartPolicy, restart: number): number =>
  Math.min(maxDelayMs, firstDelayMs * 2 ** (restart - 1));
