import type { Client } from '@temporalio/client';
import {
  isGrpcDeadlineError,
  isGrpcServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';

/** Runs calls to Temporal, each with a deadline, so a request never hangs on an unreachable server or a missing worker. */
export type TemporalCall = <T>(fn: () => Promise<T>, timeoutMs?: number) => Promise<T>;

/**
 * A TemporalCall whose deadline is `timeoutMs` from the start of each call unless the call names
 * its own. The SDK retries an unreachable server with backoff and checks the deadline when it
 * tries again, so such a call ends at most one backoff step (a second or two) past its deadline.
 */
export function temporalCaller(client: Client, timeoutMs: number): TemporalCall {
  return (fn, ownTimeoutMs = timeoutMs) => client.withDeadline(Date.now() + ownTimeoutMs, fn);
}

// gRPC status codes, as the Temporal frontend returns them.
const GrpcStatus = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, UNAVAILABLE: 14 } as const;

const UNREACHABLE_CODES: ReadonlySet<number> = new Set([GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.UNAVAILABLE, GrpcStatus.CANCELLED]);

/**
 * Whether an error means Temporal did not answer in time: the server is unreachable, or the
 * call waited for a worker (a query, an update) past its deadline.
 */
export function isTemporalUnavailable(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) return true;
  for (let current = err; current instanceof Error; current = current.cause) {
    if (isGrpcServiceError(current) && UNREACHABLE_CODES.has(current.code)) return true;
  }
  return false;
}

/** Whether Temporal found no such workflow. Most calls raise WorkflowNotFoundError for it; a raw history fetch raises the gRPC error. */
export function isNotFound(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  for (let current = err; current instanceof Error; current = current.cause) {
    if (isGrpcServiceError(current) && current.code === GrpcStatus.NOT_FOUND) return true;
  }
  return false;
}
