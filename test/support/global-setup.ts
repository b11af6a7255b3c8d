import { freePort, startDevServer } from '../../scripts/lib/dev-server';
import { TEST_NAMESPACES } from './namespaces';

/** Starts one real Temporal dev server for the whole test run: in memory, headless, on a free port. */
export default async function globalSetup(): Promise<void> {
  const server = await startDevServer({ port: await freePort(), namespaces: [...TEST_NAMESPACES] });
  process.env.TEMPORAL_ADDRESS = server.address;
  (globalThis as { temporalDevServer?: typeof server }).temporalDevServer = server;
}
