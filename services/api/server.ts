import { Client, Connection } from '@temporalio/client';
import { apiConfig, temporalConfig } from '../common/config';
import { buildApp } from './app';

async function main(): Promise<void> {
  const api = apiConfig();
  const temporal = temporalConfig();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  const app = await buildApp({ client, uiUrl: temporal.uiUrl, logLevel: api.logLevel });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      app.log.info({ signal }, 'shutting down');
      await app.close();
      await connection.close();
      process.exit(0);
    });
  }
  await app.listen({ host: api.host, port: api.port });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
