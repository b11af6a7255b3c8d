import { Context } from '@temporalio/activity';

/** How often an activity heartbeats while it waits on another system; the workflows' heartbeat timeouts are a few of these. */
const HEARTBEAT_EVERY_MS = 500;

/**
 * Runs a call to another system (a card gateway, a mail relay, a carrier) while heartbeating.
 * If this worker dies during the call, Temporal notices within the activity's heartbeat timeout
 * and retries it elsewhere, instead of waiting out the start-to-close timeout that a slow
 * answer is allowed.
 */
export async function whileHeartbeating<T>(call: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await call();
  } finally {
    clearInterval(beat);
  }
}
