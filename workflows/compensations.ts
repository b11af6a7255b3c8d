/**
 * The undo list of a saga. Each step that changes another service's data registers how to undo
 * it; on failure or cancellation they run last-in, first-out. A compensation is an activity
 * with its own retry policy, so it is retried until it succeeds.
 */
export class Compensations {
  private readonly undo: Array<() => Promise<unknown>> = [];

  add(compensation: () => Promise<unknown>): void {
    this.undo.unshift(compensation);
  }

  /** Runs every registered compensation, newest first, one after the other. */
  async run(): Promise<void> {
    for (const compensation of this.undo.splice(0)) await compensation();
  }
}
