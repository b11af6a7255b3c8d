import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError, type Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { connectTemporal } from '../../services/common/temporal-connection';
import { customSearchAttributes, type CustomSearchAttributeType } from '../../workflows/search-attributes';
import { startDevServer, waitForTemporal, type DevServer } from './dev-server';

const GRPC_NOT_FOUND = 5;
const { IndexedValueType } = temporal.api.enums.v1;

const INDEXED_VALUE_TYPES: Record<CustomSearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Double: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

export interface EnsureTemporalOptions {
  /** Where Temporal answers, or where to start the dev server if nothing does. */
  address: string;
  /** The namespace the workers use; created, with the custom search attributes, if it is missing. */
  namespace: string;
  /** The Web UI port of a dev server started here. */
  uiPort: number;
  /** A file that keeps a started dev server's data across restarts; in memory without one. */
  dbFile?: string;
  /** The codec server the Web UI of a started dev server decodes payloads with. */
  uiCodecEndpoint?: string;
  say: (line: string) => void;
}

/**
 * Attaches to the Temporal server that answers at `address` and makes sure it has the namespace
 * and the custom search attributes, or starts the dev server there with them. Resolves with the
 * dev server it started, if any.
 */
export async function ensureTemporal({
  address,
  namespace,
  uiPort,
  dbFile,
  uiCodecEndpoint,
  say,
}: EnsureTemporalOptions): Promise<DevServer | undefined> {
  try {
    await waitForTemporal(address, 1_000);
  } catch {
    const [host, port] = address.split(':');
    say(`starting the Temporal dev server on ${address}, Web UI on port ${uiPort}, data ${dbFile ? `in ${dbFile}` : 'in memory'}`);
    return startDevServer({
      ip: host === 'localhost' ? '127.0.0.1' : host,
      port: Number(port),
      uiPort,
      dbFile,
      namespaces: [namespace],
      uiCodecEndpoint,
    });
  }
  say(`using the Temporal server already running at ${address}`);
  const connection = await connectTemporal({ address });
  try {
    await ensureNamespace(connection, namespace);
  } finally {
    await connection.close();
  }
  return undefined;
}

/** Creates the namespace and the custom search attributes if they are missing, and waits until the server uses them. */
async function ensureNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  }
  // A new namespace, and a new search attribute, can be used once the server's caches have caught up.
  const missingAttributes = async (): Promise<string[]> => {
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      return Object.keys(customSearchAttributes).filter((name) => !(name in customAttributes));
    } catch (err) {
      if (isNotFound(err)) return Object.keys(customSearchAttributes);
      throw err;
    }
  };
  let added = false;
  for (const deadline = Date.now() + 60_000; ; await sleep(500)) {
    const missing = await missingAttributes();
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`namespace "${namespace}" was not ready with its search attributes within 60s`);
    if (added) continue;
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((name) => [name, INDEXED_VALUE_TYPES[customSearchAttributes[name]!]])),
      });
      added = true;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

const isNotFound = (err: unknown): boolean => isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND;
