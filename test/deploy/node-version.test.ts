import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readText, ROOT } from './support/repo';

const pinned = readText('.nvmrc').trim();
const major = pinned.split('.')[0];
const packageJson = JSON.parse(readText('package.json'));

/** True when `version` is on the pinned major line and not older than the pinned version. */
const satisfiesPin = (version: string): boolean => {
  const [a, b, c] = version.split('.').map(Number);
  const [x, y, z] = pinned.split('.').map(Number);
  return a === x && (b > y || (b === y && c >= z));
};

describe('the Node version, pinned once in .nvmrc', () => {
  test('.nvmrc pins one exact version', () => {
    expect(readText('.nvmrc')).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  test("package.json's engines and the lock file ask for the pinned version's major line, from that version on", () => {
    expect(packageJson.engines).toEqual({ node: `^${pinned}` });
    expect(JSON.parse(readText('package-lock.json')).packages[''].engines).toEqual({ node: `^${pinned}` });
  });

  test("@types/node describes the pinned version's major", () => {
    expect(packageJson.devDependencies['@types/node'].split('.')[0]).toBe(major);
  });

  test('the README and the deployment guide name the pinned version, and no other', () => {
    const versions = [...readText('README.md').matchAll(/Node (\d+\.\d+\.\d+)/g)].map((match) => match[1]);
    const images = [...readText('docs/deployment.md').matchAll(/`node:([^`]+)`/g)].map((match) => match[1]);
    expect(versions.length).toBeGreaterThan(0);
    expect(images.length).toBeGreaterThan(0);
    expect(new Set([...versions, ...images])).toEqual(new Set([pinned, `${pinned}-bookworm-slim`]));
  });

  test('these tests run on the pinned Node line', () => {
    expect({ node: process.versions.node, satisfiesPin: satisfiesPin(process.versions.node) }).toEqual({
      node: process.versions.node,
      satisfiesPin: true,
    });
  });
});

describe('scripts/node.sh', () => {
  let bin: string;
  beforeAll(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'node-on-path-'));
  });
  afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

  /** The folder node.sh prints when `node` on the PATH is the file `bin/node`. */
  const nodeFolder = (): string =>
    execFileSync('bash', [path.join(ROOT, 'scripts/node.sh')], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' }).trim();

  /** Puts on the PATH a Node that reports `version` and otherwise runs as this Node (npm needs one that runs). */
  const nodeReporting = (version: string): void => {
    const script = `#!/bin/sh\n[ "$*" = "-p process.versions.node" ] && { echo ${version}; exit 0; }\nexec "${process.execPath}" "$@"\n`;
    fs.rmSync(path.join(bin, 'node'), { force: true });
    fs.writeFileSync(path.join(bin, 'node'), script, { mode: 0o755 });
  };

  test('uses the node on the PATH when it satisfies the pin, so a machine that has it downloads nothing', () => {
    fs.rmSync(path.join(bin, 'node'), { force: true });
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    expect(nodeFolder()).toBe(bin);
  });

  test.each(['20.20.2', `${major}.0.0`, `${Number(major) + 1}.0.0`])(
    'with Node %s on the PATH, gives the pinned Node from the project cache instead',
    (version) => {
      nodeReporting(version);
      const folder = nodeFolder();
      expect(folder).toBe(path.join(ROOT, '.cache', 'node', pinned, 'bin'));
      expect(execFileSync(path.join(folder, 'node'), ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${pinned}`);
    },
    120_000,
  );
});
