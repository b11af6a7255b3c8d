import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DatabaseSettings } from '../../services/common/database';

export type ReplicaService = 'payment' | 'gateway' | 'inventory' | 'shipping' | 'email';

/** A store call made by one replica: the method and its arguments. */
export interface ReplicaCall {
  method: string;
  args: unknown[];
}

const REPLICA = path.join(__dirname, 'replica.js');

/**
 * Runs each call in a replica process of its own on the same database: every replica opens its
 * store first, then all are told to go at once. Resolves with each call's result (or `{ error }`).
 */
export async function raceInProcesses(service: ReplicaService, settings: DatabaseSettings, calls: ReplicaCall[]): Promise<unknown[]> {
  const replicas = calls.map(({ method, args }) =>
    spawn(process.execPath, [REPLICA, service, JSON.stringify(settings), method, JSON.stringify(args)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const outputs = replicas.map(collectLines);
  await Promise.all(outputs.map((output) => output.next()));
  for (const replica of replicas) replica.stdin!.end('go\n');
  return Promise.all(outputs.map(async (output) => JSON.parse(await output.next()) as unknown));
}

/** The lines a replica prints, one `next()` at a time. */
function collectLines(child: ChildProcess): { next(): Promise<string> } {
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const exited = new Promise<string>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`replica exited with code ${code} before answering`))),
  );
  exited.catch(() => undefined);
  return {
    next: () =>
      lines.length > 0 ? Promise.resolve(lines.shift()!) : Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited]),
  };
}
