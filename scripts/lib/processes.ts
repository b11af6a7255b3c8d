import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

const COLOURS = [36, 33, 35, 32, 34, 31, 96, 93];
const colourOf = new Map<string, number>();

/** `[name] ` in a colour of its own when the output is a terminal, so interleaved logs stay readable. */
function prefix(name: string): string {
  if (!process.stdout.isTTY) return `[${name}] `;
  if (!colourOf.has(name)) colourOf.set(name, COLOURS[colourOf.size % COLOURS.length]);
  return `\x1b[${colourOf.get(name)}m[${name}]\x1b[0m `;
}

/** Writes a line to the terminal with `name` in front. */
export const printPrefixed =
  (name: string) =>
  (line: string): void => {
    process.stdout.write(`${prefix(name)}${line}\n`);
  };

/** Calls `onLine` with every line the process writes, on stdout or stderr. */
export function forEachLine(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on('line', onLine);
}

/** Spawns a process whose every output line is printed with its name in front. */
export function spawnNamed(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  // detached: a process group of its own, so Ctrl-C in the terminal reaches only the supervisor,
  // which then stops each child in order.
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  forEachLine(child, printPrefixed(name));
  return child;
}

/** Whether the process has not exited yet. */
export const isRunning = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/** Resolves when the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Sends `signal` (SIGTERM by default), waits up to `graceMs`, then SIGKILLs whatever is left. */
export async function stopProcess(child: ChildProcess, graceMs: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!isRunning(child)) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}
