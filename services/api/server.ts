import { Client, Connection } from '@temporalio/client';
import { apiConfig, reportStartFailure, temporalConfig } from '../common/config';
import { buildApp } from './app';

async function main(): Promise<void> {
  const api = apiConfig();
  const temporal = temporalConfig();
  // Lazy: the API starts, and answers /healthz, even while Temporal is still coming up; /readyz tells the difference.
  const connection = Connection.lazy({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  const app = await buildApp({
    client,
    uiUrl: temporal.uiUrl,
    logLevel: api.logLevel,
    apiKey: api.apiKey,
    corsOrigins: api.corsOrigins,
    rateLimit: { max: api.rateLimitMax, windowMs: api.rateLimitWindowMs },
    bodyLimitBytes: api.bodyLimitBytes,
    temporalTimeoutMs: api.temporalTimeoutMs,
  });

  const shutDown = async (signal: NodeJS.Signals): Promise<void> => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await connection.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      shutDown(signal).catch((err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
    });
  }
  await app.listen({ host: api.host, port: api.port });
  if (api.apiKey === undefined) app.log.warn('API_KEY is unset: POST routes accept requests without a key');
}

main().catch((err) => {
  reportStartFailure('api', err);
  process.exit(1);
});
