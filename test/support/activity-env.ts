import { MockActivityEnvironment } from '@temporalio/testing';

/**
 * A MockActivityEnvironment whose `run` keeps the activity's own parameter and result types.
 * Heartbeats are collected in `heartbeats`.
 */
export class ActivityEnv {
  readonly heartbeats: unknown[] = [];
  private readonly env = new MockActivityEnvironment();

  constructor() {
    this.env.on('heartbeat', (details: unknown) => this.heartbeats.push(details));
  }

  run<F extends (...args: never[]) => Promise<unknown>>(activity: F, ...args: Parameters<F>): ReturnType<F> {
    return this.env.run(activity as never, ...(args as never[])) as ReturnType<F>;
  }
}
