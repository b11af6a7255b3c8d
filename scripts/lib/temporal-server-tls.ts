import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';

// The name every client verifies the server's certificate for: the address is an IP, which
// Node's TLS refuses as a server name, and Go's needs a name.
const TLS_SERVER_NAME = 'localhost';

/** PEM files for a Temporal server with mTLS: its certificate, and a client certificate the harness itself connects with. */
export interface TemporalServerTls {
  /** The CA that signed the server's certificate, and that a client's certificate must be signed by. */
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/**
 * `global.tls` of the server's embedded config template, as its variables: the frontend serves
 * TLS and requires a client certificate from the CA; the server's own services (history,
 * matching, the system worker) talk to each other and to the frontend with the server's certificate.
 */
export function serverTlsEnvironment(tls: TemporalServerTls): Record<string, string> {
  return {
    TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: 'true',
    TEMPORAL_TLS_FRONTEND_CERT: tls.serverCert,
    TEMPORAL_TLS_FRONTEND_KEY: tls.serverKey,
    // The template lists both; the second is for a CA rotation, the same one here.
    TEMPORAL_TLS_CLIENT1_CA_CERT: tls.caCert,
    TEMPORAL_TLS_CLIENT2_CA_CERT: tls.caCert,
    TEMPORAL_TLS_SERVER_CERT: tls.serverCert,
    TEMPORAL_TLS_SERVER_KEY: tls.serverKey,
    TEMPORAL_TLS_SERVER_CA_CERT: tls.caCert,
    // The name the server's own clients verify its certificate for (Go's TLS needs one).
    TEMPORAL_TLS_FRONTEND_SERVER_NAME: TLS_SERVER_NAME,
    TEMPORAL_TLS_INTERNODE_SERVER_NAME: TLS_SERVER_NAME,
  };
}

/** The client settings, as the project's processes and the `temporal` CLI both read them, for the harness's client certificate. */
export function clientTlsEnvironment(tls: TemporalServerTls): Record<string, string> {
  return {
    TEMPORAL_TLS_CLIENT_CERT_PATH: tls.clientCert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: tls.clientKey,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: tls.caCert,
    TEMPORAL_TLS_SERVER_NAME: TLS_SERVER_NAME,
  };
}

/** The same client certificate, as Connection.connect takes it. */
export function clientTlsConfig(tls: TemporalServerTls): TLSConfig {
  return {
    serverRootCACertificate: fs.readFileSync(tls.caCert),
    serverNameOverride: TLS_SERVER_NAME,
    clientCertPair: { crt: fs.readFileSync(tls.clientCert), key: fs.readFileSync(tls.clientKey) },
  };
}
