import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from '@temporalio/client';
import { ConfigurationError } from './config';
import type { TemporalConnectionOptions } from './temporal-connection';

// A failed connection to Temporal is either "nobody answers yet" (not started, restarting, its DNS
// name not yet known), which a process waits out, or "the server answered and refused us" (the
// TLS handshake or the client certificate failed), which no retry fixes: that one stops the
// process at start, naming the setting to check.

const UNREACHABLE =
  /tcp connect error|dns error|Connection refused|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|timed out|ETIMEDOUT/i;
const SERVER_CERT_UNTRUSTED =
  /UnknownIssuer|InvalidCertificate|unable to verify|self[- ]signed|certificate has expired|NotValidForName|altnames/i;
// The innermost cause in the native client's (tonic's) and grpc-js's messages.
const REASON =
  /error: "([^"]+)"|Canceled, "([^"]+)"|(InvalidCertificate\(\w+\))|Last error: (?:\w+:error:\w+:SSL routines:\w+:)?([^:\n(]+?)/g;

/** Whether a connection error means nobody answered at the address, as opposed to a refusal. */
export function isUnreachable(err: unknown): boolean {
  return UNREACHABLE.test(String((err as Error)?.message ?? err));
}

/** The ConfigurationError for a connection that reached Temporal and failed its TLS handshake or certificate check; undefined if it found nobody. */
export function temporalRefusal(err: unknown, { address, tls }: TemporalConnectionOptions): ConfigurationError | undefined {
  if (isUnreachable(err)) return undefined;
  const message = String((err as Error)?.message ?? err);
  const reason = [...message.matchAll(REASON)].map((match) => match.slice(1).find(Boolean)).at(-1) ?? message.split('\n')[0];
  if (SERVER_CERT_UNTRUSTED.test(message))
    return new ConfigurationError(`TEMPORAL_TLS_SERVER_CA_CERT_PATH: the certificate of Temporal at ${address} is not trusted (${reason})`);
  const hasClientCert = typeof tls === 'object' && tls.clientCertPair !== undefined;
  return new ConfigurationError(
    hasClientCert
      ? `TEMPORAL_TLS_CLIENT_CERT_PATH: Temporal at ${address} refused the client certificate (${reason})`
      : `TEMPORAL_TLS_CLIENT_CERT_PATH is unset and Temporal at ${address} refused the connection (${reason}): it requires a client certificate`,
  );
}

/**
 * Resolves once a client's connection is made; rejects with the refusal's ConfigurationError if
 * Temporal refuses it. While nobody answers, it keeps trying, as a lazy client does on its own.
 */
export async function untilTemporalAccepts(connection: Connection, options: TemporalConnectionOptions): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await connection.workflowService.getSystemInfo({});
      return;
    } catch (err) {
      const refusal = temporalRefusal(err, options);
      if (refusal) throw refusal;
      await sleep(Math.min(500 * 2 ** (attempt - 1), 10_000));
    }
  }
}
