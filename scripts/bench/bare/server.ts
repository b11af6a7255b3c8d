import { startDevServer, temporalCli, waitForTemporal, type DevServer } from '../../lib/dev-server';
import { spawnNamed, stopProcess } from '../../lib/processes';

/**
 * The dev server for a benchmark run. Without extra arguments it is scripts/lib/dev-server.ts's
 * startDevServer as it is; with some (SQLite pragmas, dynamic config), which startDevServer does
 * not take, it is the same command line with those arguments added.
 */
export async function startBenchServer(port: number, dbFile: string | undefined, extraArgs: string[]): Promise<DevServer> {
  if (extraArgs.length === 0) return startDevServer({ port, dbFile });
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error', '--headless'];
  if (dbFile) args.push('--db-filename', dbFile);
  args.push(...extraArgs);
  const child = spawnNamed('temporal', temporalCli(), args);
  const address = `127.0.0.1:${port}`;
  const exitedEarly = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the dev server exited with ${code}: ${args.join(' ')}`))));
  await Promise.race([waitForTemporal(address), exitedEarly]);
  child.removeAllListeners('exit');
  return { address, process: child, stop: () => stopProcess(child, 10_000) };
}
