import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { ConfigurationError, encryptionConfig } from './config';

const KEY_BYTES = 32;

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The payload keys: the first one encrypts, every one decrypts, so a key can be rotated without losing old orders. */
export class EncryptionKeyring {
  private readonly byId: Map<string, Buffer>;

  constructor(readonly keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new Error('a keyring needs at least one key');
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  /** The key new payloads are encrypted with. */
  get current(): EncryptionKey {
    return this.keys[0];
  }

  /** The key of a stored payload, or undefined when this process does not have it. */
  find(id: string): Buffer | undefined {
    return this.byId.get(id);
  }

  /** Parses "id1:base64key,id0:base64oldkey" (commas or new lines between keys); `setting` names the source in errors. */
  static parse(text: string, setting: string): EncryptionKeyring {
    const entries = text
      .split(/[,\n]/)
      .map((entry) => entry.trim())
      .filter(Boolean);
    if (entries.length === 0) throw new ConfigurationError(`${setting} holds no key; expected "id:base64key[,id:base64key...]"`);
    const keys = entries.map((entry) => {
      const separator = entry.indexOf(':');
      const id = entry.slice(0, separator).trim();
      const key = Buffer.from(entry.slice(separator + 1).trim(), 'base64');
      if (separator <= 0) throw new ConfigurationError(`${setting}: each key must be "id:base64key", got an entry without an id`);
      if (key.length !== KEY_BYTES)
        throw new ConfigurationError(`${setting}: key "${id}" must be ${KEY_BYTES} bytes in base64 (AES-256), got ${key.length}`);
      return { id, key };
    });
    const ids = keys.map(({ id }) => id);
    const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
    if (repeated) throw new ConfigurationError(`${setting}: key id "${repeated}" appears twice`);
    return new EncryptionKeyring(keys);
  }
}

/** The keyring ENCRYPTION_KEYS or ENCRYPTION_KEYS_FILE configures, or undefined when neither is set (payloads stay plaintext). */
export function encryptionKeyringFromEnv(): EncryptionKeyring | undefined {
  const { keys, keysFile, required } = encryptionConfig();
  if (keys !== undefined) return EncryptionKeyring.parse(keys, 'ENCRYPTION_KEYS');
  if (keysFile === undefined && required)
    throw new ConfigurationError('REQUIRE_ENCRYPTION is true but neither ENCRYPTION_KEYS nor ENCRYPTION_KEYS_FILE is set');
  if (keysFile === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(keysFile, 'utf8');
  } catch (err) {
    throw new ConfigurationError(`ENCRYPTION_KEYS_FILE: cannot read ${keysFile} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  return EncryptionKeyring.parse(text, `ENCRYPTION_KEYS_FILE (${keysFile})`);
}

/** A new random key in the ENCRYPTION_KEYS format, e.g. "k20261201:base64...". */
export function newEncryptionKeySpec(id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}
