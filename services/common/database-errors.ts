import { ConfigurationError } from './config';

/** A database a worker cannot start with; its message is the one line the worker prints before it exits. */
export class DatabaseStartError extends ConfigurationError {
  override name = 'DatabaseStartError';
}
