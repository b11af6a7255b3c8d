import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entryPoint, type ServiceKind } from '../../scripts/lib/launcher';

// A security setting that cannot be used stops the process at start with one line naming it.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'security-start-'));

/** Runs a service's entry point with `env` on top of this one's, and returns its stderr lines (it must exit non-zero). */
function failedStart(service: ServiceKind, env: NodeJS.ProcessEnv): string[] {
  try {
    execFileSync(process.execPath, [entryPoint(service)], {
      env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: 'pipe',
      encoding: 'utf8',
      timeout: 20_000,
    });
  } catch (err) {
    return (err as { stderr: string }).stderr.trim().split('\n');
  }
  throw new Error(`${service} started`);
}

test('a missing client certificate file stops a worker at start with one line naming TEMPORAL_TLS_CLIENT_CERT_PATH', () => {
  const missing = path.join(dataDir, 'no-such-client.pem');
  const key = path.join(dataDir, 'client.key');
  fs.writeFileSync(key, 'not used');
  expect(failedStart('payment', { TEMPORAL_TLS_CLIENT_CERT_PATH: missing, TEMPORAL_TLS_CLIENT_KEY_PATH: key })).toEqual([
    `payment worker: TEMPORAL_TLS_CLIENT_CERT_PATH: cannot read ${missing} (ENOENT)`,
  ]);
});

test('an unreadable server CA file stops the API at start with one line naming TEMPORAL_TLS_SERVER_CA_CERT_PATH', () => {
  expect(failedStart('api', { TEMPORAL_TLS_SERVER_CA_CERT_PATH: dataDir + '/missing-ca.pem' })).toEqual([
    `api: TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read ${dataDir}/missing-ca.pem (ENOENT)`,
  ]);
});

test('a client certificate without its key is one line naming the missing TEMPORAL_TLS_CLIENT_KEY_PATH', () => {
  const cert = path.join(dataDir, 'client.pem');
  fs.writeFileSync(cert, 'not used');
  const [line, ...rest] = failedStart('email', { TEMPORAL_TLS_CLIENT_CERT_PATH: cert });
  expect(rest).toEqual([]);
  expect(line).toMatch(/^email worker: TEMPORAL_TLS_CLIENT_KEY_PATH is required with TEMPORAL_TLS_CLIENT_CERT_PATH/);
});

test('a profile missing from TEMPORAL_CONFIG_FILE is one line naming TEMPORAL_PROFILE', () => {
  const configFile = path.join(dataDir, 'temporal.toml');
  fs.writeFileSync(configFile, '[profile.default]\naddress = "127.0.0.1:1"\n');
  const [line, ...rest] = failedStart('payment', { TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_PROFILE: 'prod' });
  expect(rest).toEqual([]);
  expect(line).toMatch(/^payment worker: TEMPORAL_PROFILE: .*'prod' not found/);
});

test('REQUIRE_API_KEY=true without API_KEY or API_KEYS stops the API at start with one line', () => {
  expect(failedStart('api', { REQUIRE_API_KEY: 'true', API_KEY: '', API_KEYS: '' })).toEqual([
    'api: REQUIRE_API_KEY is true but neither API_KEY nor API_KEYS is set',
  ]);
});

test('a missing ENCRYPTION_KEYS_FILE stops a worker at start with one line naming it', () => {
  const missing = path.join(dataDir, 'no-keys');
  expect(failedStart('orders', { ENCRYPTION_KEYS: '', ENCRYPTION_KEYS_FILE: missing })).toEqual([
    `orders worker: ENCRYPTION_KEYS_FILE: cannot read ${missing} (ENOENT)`,
  ]);
});

test('a key of the wrong length in ENCRYPTION_KEYS stops the API at start with one line naming the key id', () => {
  expect(failedStart('api', { ENCRYPTION_KEYS: `short:${Buffer.alloc(16).toString('base64')}` })).toEqual([
    'api: ENCRYPTION_KEYS: key "short" must be 32 bytes in base64 (AES-256), got 16',
  ]);
});

test('REQUIRE_ENCRYPTION=true without keys stops a worker at start with one line, so an empty Secret never means plaintext', () => {
  expect(failedStart('payment', { REQUIRE_ENCRYPTION: 'true', ENCRYPTION_KEYS: '', ENCRYPTION_KEYS_FILE: '' })).toEqual([
    'payment worker: REQUIRE_ENCRYPTION is true but neither ENCRYPTION_KEYS nor ENCRYPTION_KEYS_FILE is set',
  ]);
});
