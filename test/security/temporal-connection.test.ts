import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporalConnectionConfig } from '../../services/common/temporal-connection';

// The one place connection options are built: Temporal's CLI settings and profile file, read
// through @temporalio/envconfig. Only the options are checked here; connecting over mTLS is the cluster suite's.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-connection-'));
const saved = { ...process.env };
const settings = ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_API_KEY', 'TEMPORAL_TLS', 'TEMPORAL_PROFILE', 'TEMPORAL_CONFIG_FILE'];

beforeEach(() => settings.forEach((name) => delete process.env[name]));
afterAll(() => Object.assign(process.env, saved));

test('with nothing set it connects in plaintext to localhost:7233, namespace default, whatever is in the home folder', () => {
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(home, '.config', 'temporalio'), { recursive: true });
  fs.writeFileSync(path.join(home, '.config', 'temporalio', 'temporal.toml'), '[profile.default]\naddress = "cloud.example:7233"\n');
  process.env.HOME = home;
  expect(temporalConnectionConfig()).toEqual({ namespace: 'default', connectionOptions: { address: 'localhost:7233' } });
});

test('a profile of TEMPORAL_CONFIG_FILE gives the address, namespace and CA; TEMPORAL_* settings override it; an API key turns TLS on', () => {
  const ca = path.join(dir, 'ca.pem');
  fs.writeFileSync(ca, 'CA BYTES');
  const configFile = path.join(dir, 'temporal.toml');
  fs.writeFileSync(
    configFile,
    `[profile.prod]\naddress = "prod.example:7233"\nnamespace = "shop"\n[profile.prod.tls]\nserver_ca_cert_path = "${ca}"\nserver_name = "frontend.prod"\n`,
  );
  Object.assign(process.env, { TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_PROFILE: 'prod' });
  const fromProfile = temporalConnectionConfig();
  expect(fromProfile.namespace).toBe('shop');
  expect(fromProfile.connectionOptions.address).toBe('prod.example:7233');
  expect(fromProfile.connectionOptions.tls).toEqual({
    serverNameOverride: 'frontend.prod',
    serverRootCACertificate: Uint8Array.from(Buffer.from('CA BYTES')),
  });

  Object.assign(process.env, { TEMPORAL_ADDRESS: 'override.example:7233', TEMPORAL_API_KEY: 'cloud-key' });
  expect(temporalConnectionConfig().connectionOptions).toMatchObject({ address: 'override.example:7233', apiKey: 'cloud-key' });
  delete process.env.TEMPORAL_CONFIG_FILE;
  delete process.env.TEMPORAL_PROFILE;
  expect(temporalConnectionConfig().connectionOptions).toEqual({ address: 'override.example:7233', apiKey: 'cloud-key', tls: true });
});
