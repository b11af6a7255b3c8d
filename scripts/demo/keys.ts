// The presenter's keyboard in interactive mode: Enter moves to the next scene, Ctrl-C stops.
// On a terminal the input is read raw, so keys neither echo nor scroll the live view.

export interface PresenterKeys {
  /** Resolves at the next Enter. */
  next(): Promise<void>;
  close(): void;
}

export function presenterKeys(onInterrupt: () => void): PresenterKeys {
  const input = process.stdin;
  if (input.isTTY) input.setRawMode(true);
  input.resume();
  let waiting: (() => void) | undefined;
  const onData = (data: Buffer) => {
    for (const key of data.toString()) {
      if (key === '\x03') onInterrupt();
      if ((key === '\r' || key === '\n') && waiting) {
        const resume = waiting;
        waiting = undefined;
        resume();
      }
    }
  };
  input.on('data', onData);
  return {
    next: () => new Promise<void>((resolve) => (waiting = resolve)),
    close: () => {
      input.off('data', onData);
      if (input.isTTY) input.setRawMode(false);
      input.pause();
    },
  };
}
