import { defaultPayloadConverter } from '@temporalio/common';
import { ConfigurationError } from '../../services/common/config';
import { EncryptionCodec, UnknownEncryptionKeyError } from '../../services/common/encryption-codec';
import { EncryptionKeyring, newEncryptionKeySpec } from '../../services/common/encryption-keys';
import { orderInput } from '../support/orders';

// The codec on its own: what it writes, what it refuses to read.

const current = newEncryptionKeySpec('k2');
const old = newEncryptionKeySpec('k1');
const order = orderInput();
const plaintext = () => defaultPayloadConverter.toPayload(order);
const text = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString('utf8');

test('an encrypted payload is binary/encrypted, names its key, holds none of the order in the clear, and decodes to the original', async () => {
  const codec = new EncryptionCodec(EncryptionKeyring.parse(`${current},${old}`, 'test'));
  const [encrypted] = await codec.encode([plaintext()]);
  expect(text(encrypted.metadata?.encoding)).toBe('binary/encrypted');
  expect(text(encrypted.metadata?.['encryption-key-id'])).toBe('k2');
  for (const secret of [order.customerEmail, order.shippingAddress.name, order.shippingAddress.line1, order.paymentToken, 'json/plain']) {
    expect(Buffer.from(encrypted.data!).includes(secret)).toBe(false);
  }
  const [decoded] = await codec.decode([encrypted]);
  expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(order);
});

test('after a rotation the old key still decrypts what it encrypted, and new payloads use the new key', async () => {
  const [before] = await new EncryptionCodec(EncryptionKeyring.parse(old, 'test')).encode([plaintext()]);
  const rotated = new EncryptionCodec(EncryptionKeyring.parse(`${current},${old}`, 'test'));
  expect(defaultPayloadConverter.fromPayload((await rotated.decode([before]))[0])).toEqual(order);
  expect(text((await rotated.encode([plaintext()]))[0].metadata?.['encryption-key-id'])).toBe('k2');
});

test('a payload under a key id this process lacks is refused with an error naming the id', async () => {
  const [foreign] = await new EncryptionCodec(EncryptionKeyring.parse(newEncryptionKeySpec('k9'), 'test')).encode([plaintext()]);
  const codec = new EncryptionCodec(EncryptionKeyring.parse(current, 'test'));
  await expect(codec.decode([foreign])).rejects.toThrow(UnknownEncryptionKeyError);
  await expect(codec.decode([foreign])).rejects.toThrow('unknown key id "k9"');
});

test('a tampered ciphertext, or one relabelled with another key id, fails authentication instead of decoding to garbage', async () => {
  const keyring = EncryptionKeyring.parse(`${current},${old}`, 'test');
  const codec = new EncryptionCodec(keyring);
  const [encrypted] = await codec.encode([plaintext()]);
  const flipped = Buffer.from(encrypted.data!);
  flipped[20] ^= 1;
  await expect(codec.decode([{ ...encrypted, data: flipped }])).rejects.toThrow(/authenticate/);
  await expect(
    codec.decode([{ ...encrypted, metadata: { ...encrypted.metadata, 'encryption-key-id': Buffer.from('k1') } }]),
  ).rejects.toThrow(/authenticate/);
});

test('payloads that were never encrypted (recorded plaintext histories) pass through decode unchanged', async () => {
  const codec = new EncryptionCodec(EncryptionKeyring.parse(current, 'test'));
  const payload = plaintext();
  expect(await codec.decode([payload])).toEqual([payload]);
});

test('a malformed key list is a ConfigurationError naming the setting', () => {
  expect(() => EncryptionKeyring.parse('nokey', 'ENCRYPTION_KEYS')).toThrow(
    new ConfigurationError('ENCRYPTION_KEYS: each key must be "id:base64key", got an entry without an id'),
  );
  expect(() => EncryptionKeyring.parse(`${current},${current}`, 'ENCRYPTION_KEYS')).toThrow('ENCRYPTION_KEYS: key id "k2" appears twice');
  expect(() => EncryptionKeyring.parse(' , ', 'ENCRYPTION_KEYS')).toThrow(ConfigurationError);
});
