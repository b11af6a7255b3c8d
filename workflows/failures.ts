/** The innermost message of a failure chain: "the card was declined", not "Activity task failed". */
export function rootMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let current: Error = err;
  while (current.cause instanceof Error) current = current.cause;
  return current.message;
}
