import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { EncryptionCodec } from '../../services/common/encryption-codec';
import { testKeyring } from './stack';

export const HISTORIES_DIR = path.resolve(__dirname, '../fixtures/histories');

/**
 * With RECORD_HISTORIES=1 (`npm run record-histories`), saves a finished workflow's history as a
 * replay fixture. test/replay.test.ts replays every fixture against the current workflow code.
 * The test stack's payloads are encrypted under a key made per run, so they are saved decrypted.
 */
export async function recordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const plain = await decrypted(JSON.parse(historyToJSON(history)), new EncryptionCodec(testKeyring));
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify(plain, null, 1)}\n`);
}

const ENCRYPTED = Buffer.from('binary/encrypted').toString('base64');

type JsonPayload = { metadata: Record<string, string>; data?: string };

const isEncryptedPayload = (value: unknown): value is JsonPayload =>
  typeof value === 'object' && value !== null && (value as JsonPayload).metadata?.encoding === ENCRYPTED;

/** The history's JSON with every encrypted payload (base64 in the JSON form) replaced by the payload it seals. */
async function decrypted(value: unknown, codec: EncryptionCodec): Promise<unknown> {
  if (isEncryptedPayload(value)) {
    const sealed: Payload = {
      metadata: Object.fromEntries(Object.entries(value.metadata).map(([key, v]) => [key, Buffer.from(v, 'base64')])),
      data: Buffer.from(value.data ?? '', 'base64'),
    };
    const [plain] = await codec.decode([sealed]);
    return {
      metadata: Object.fromEntries(Object.entries(plain.metadata ?? {}).map(([key, v]) => [key, Buffer.from(v).toString('base64')])),
      data: Buffer.from(plain.data ?? []).toString('base64'),
    };
  }
  if (Array.isArray(value)) return Promise.all(value.map((item) => decrypted(item, codec)));
  if (typeof value !== 'object' || value === null) return value;
  const entries = await Promise.all(Object.entries(value).map(async ([key, v]) => [key, await decrypted(v, codec)] as const));
  return Object.fromEntries(entries);
}
