import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter, Duration } from '@temporalio/common';
import { loadDataConverter, type TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';
import { ConfigurationError, temporalClientSettings, temporalConfig } from './config';
import { EncryptionCodec } from './encryption-codec';
import { encryptionKeyringFromEnv, type EncryptionKeyring } from './encryption-keys';
import { readableFailuresInterceptor } from './encryption-readable-failures';

// Every connection to Temporal, a client's or a worker's, is made from the options built here:
// the TEMPORAL_* settings and profile file that Temporal's CLI reads, through @temporalio/envconfig.

/** What Connection.connect (clients) and NativeConnection.connect (workers) both accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

export interface TemporalConnectionConfig {
  namespace: string;
  connectionOptions: TemporalConnectionOptions;
}

type TlsFile = 'clientCert' | 'clientKey' | 'serverCACert';

const TLS_FILE_SETTINGS: Record<TlsFile, { env: string; toml: string }> = {
  clientCert: { env: 'TEMPORAL_TLS_CLIENT_CERT_PATH', toml: 'tls.client_cert_path' },
  clientKey: { env: 'TEMPORAL_TLS_CLIENT_KEY_PATH', toml: 'tls.client_key_path' },
  serverCACert: { env: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', toml: 'tls.server_ca_cert_path' },
};

/** Where and how to reach Temporal (address, namespace, TLS or mTLS, API key); a bad setting is a ConfigurationError naming it. */
export function temporalConnectionConfig(): TemporalConnectionConfig {
  const settings = temporalClientSettings();
  const profile = loadProfile(settings);
  const settingOf = (file: TlsFile): string =>
    settings[TLS_FILE_SETTINGS[file].env]
      ? TLS_FILE_SETTINGS[file].env
      : `${TLS_FILE_SETTINGS[file].toml} of profile "${settings.TEMPORAL_PROFILE ?? 'default'}" in TEMPORAL_CONFIG_FILE`;
  for (const file of Object.keys(TLS_FILE_SETTINGS) as TlsFile[]) checkReadable(profile.tls?.[file], settingOf(file));
  if (Boolean(profile.tls?.clientCert) !== Boolean(profile.tls?.clientKey)) {
    const missing = profile.tls?.clientCert ? 'clientKey' : 'clientCert';
    throw new ConfigurationError(
      `${TLS_FILE_SETTINGS[missing].env} is required with ${TLS_FILE_SETTINGS[missing === 'clientKey' ? 'clientCert' : 'clientKey'].env}: mTLS needs both the certificate and its key`,
    );
  }
  const { namespace, connectionOptions } = toClientOptions(profile);
  const defaults = temporalConfig();
  return {
    namespace: namespace ?? defaults.namespace,
    connectionOptions: {
      address: connectionOptions.address ?? defaults.address,
      ...(connectionOptions.tls !== undefined && connectionOptions.tls !== null && { tls: connectionOptions.tls }),
      ...(typeof connectionOptions.apiKey === 'string' && { apiKey: connectionOptions.apiKey }),
      ...(profile.grpcMeta && { metadata: profile.grpcMeta }),
    },
  };
}

function loadProfile(settings: Record<string, string>): ClientConfigProfile {
  try {
    return loadClientConfigProfile({
      overrideEnvVars: settings,
      ...(settings.TEMPORAL_CONFIG_FILE === undefined && { disableFile: true }),
    });
  } catch (err) {
    const setting = settings.TEMPORAL_PROFILE && /Profile '/.test(String(err)) ? 'TEMPORAL_PROFILE' : 'TEMPORAL_CONFIG_FILE';
    throw new ConfigurationError(`${setting}: ${err instanceof Error ? err.message : err}`);
  }
}

function checkReadable(source: ConfigDataSource | undefined, setting: string): void {
  if (!source || !('path' in source)) return;
  try {
    fs.accessSync(source.path, fs.constants.R_OK);
  } catch (err) {
    throw new ConfigurationError(`${setting}: cannot read ${source.path} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

/** The data converter of every client and worker: payloads encrypted with the keyring (ENCRYPTION_KEYS by default), failures' messages too. */
export function temporalDataConverter(keyring: EncryptionKeyring | undefined = encryptionKeyringFromEnv()): DataConverter {
  if (!keyring) return {};
  return { payloadCodecs: [new EncryptionCodec(keyring)], failureConverterPath: require.resolve('./encryption-failures') };
}

export interface TemporalClientOptions {
  /** Overrides TEMPORAL_ADDRESS, e.g. a server a script or test started on a free port. */
  address?: string;
  /** Overrides TEMPORAL_NAMESPACE. */
  namespace?: string;
  /** The payload keys; those of ENCRYPTION_KEYS or ENCRYPTION_KEYS_FILE by default. */
  keyring?: EncryptionKeyring;
  connectTimeout?: Duration;
}

export interface TemporalClient {
  client: Client;
  connection: Connection;
}

type ConnectionTarget = Pick<TemporalClientOptions, 'address' | 'connectTimeout'>;

const connectionOptionsFor = ({ address, connectTimeout }: ConnectionTarget) => ({
  ...temporalConnectionConfig().connectionOptions,
  ...(address && { address }),
  ...(connectTimeout && { connectTimeout }),
});

const clientOptionsFor = ({ namespace, keyring }: TemporalClientOptions) => {
  const dataConverter = temporalDataConverter(keyring ?? encryptionKeyringFromEnv());
  return {
    namespace: namespace ?? temporalConnectionConfig().namespace,
    dataConverter,
    interceptors: {
      // Tracing: a span per call, its context sent in the workflow's headers; a no-op where this process does not trace.
      workflow: [
        new OpenTelemetryWorkflowClientInterceptor(),
        ...(dataConverter.payloadCodecs ? [readableFailuresInterceptor(loadDataConverter(dataConverter))] : []),
      ],
    },
  };
};

/** A connection (no client) with the environment's settings: for operator calls and for waiting until Temporal answers. */
export function connectTemporal(target: ConnectionTarget = {}): Promise<Connection> {
  return Connection.connect(connectionOptionsFor(target));
}

/** Connects a client to Temporal with the environment's connection settings and data converter. */
export async function connectTemporalClient(options: TemporalClientOptions = {}): Promise<TemporalClient> {
  const clientOptions = clientOptionsFor(options);
  const connection = await connectTemporal(options);
  return { connection, client: new Client({ connection, ...clientOptions }) };
}

/** The same client, connecting on its first call: for a process that must start while Temporal is still down (the API). */
export function lazyTemporalClient(options: TemporalClientOptions = {}): TemporalClient {
  const connection = Connection.lazy(connectionOptionsFor(options));
  return { connection, client: new Client({ connection, ...clientOptionsFor(options) }) };
}
