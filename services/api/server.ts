import { apiConfig, reportStartFailure, temporalConfig } from '../common/config';
import { EncryptionCodec } from '../common/encryption-codec';
import { encryptionKeyringFromEnv } from '../common/encryption-keys';
import { lazyTemporalClient, temporalConnectionConfig } from '../common/temporal-connection';
import { untilTemporalAccepts } from '../common/temporal-refusal';
import { buildApp } from './app';
import { startApiTracing } from './http-tracing';

async function main(): Promise<void> {
  const tracing = startApiTracing();
  const api = apiConfig();
  const temporal = temporalConfig();
  const keyring = encryptionKeyringFromEnv();
  // Lazy: the API starts, and answers /healthz, even while Temporal is still coming up; /readyz tells the difference.
  const { client, connection } = lazyTemporalClient({ keyring });
  const app = await buildApp({
    client,
    uiUrl: temporal.uiUrl,
    logLevel: api.logLevel,
    apiKey: api.apiKeys,
    corsOrigins: api.corsOrigins,
    codec: keyring && new EncryptionCodec(keyring),
    codecCorsOrigins: api.codecCorsOrigins,
    trustProxy: api.trustProxy,
    rateLimit: { max: api.rateLimitMax, windowMs: api.rateLimitWindowMs },
    bodyLimitBytes: api.bodyLimitBytes,
    temporalTimeoutMs: api.temporalTimeoutMs,
  });

  const shutDown = async (signal: NodeJS.Signals): Promise<void> => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await connection.close();
    await tracing.shutdown();
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
  untilTemporalAccepts(connection, temporalConnectionConfig().connectionOptions).catch((err) => {
    reportStartFailure('api', err);
    process.exit(1);
  });
  if (api.apiKeys.length === 0) app.log.warn('API_KEY is unset: POST routes accept requests without a key');
  if (!keyring) app.log.warn('ENCRYPTION_KEYS is unset: payloads, PII included, are stored in Temporal in plaintext');
}

main().catch((err) => {
  reportStartFailure('api', err);
  process.exit(1);
});
