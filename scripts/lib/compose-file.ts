import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../services/common/paths';

// The cluster tests run Temporal as docker-compose.yml does: they read a service's environment
// and mounts from the compose file, so the two cannot drift apart.

interface ComposeService {
  environment?: Record<string, string>;
  volumes?: string[];
  entrypoint?: string[];
}

/** `${NAME:-default}` and `${NAME-default}` become their default; compose's own value when nothing is set. */
const withDefaults = (value: string): string =>
  value.replace(/\$\{\w+(?::?-([^}]*))?\}/g, (_, fallback: string | undefined) => fallback ?? '');

/** A service of docker-compose.yml: its environment with the defaults filled in, and where its mounts come from on this machine. */
export class ComposeServiceDefinition {
  private constructor(
    readonly name: string,
    private readonly definition: ComposeService,
  ) {}

  static read(name: string): ComposeServiceDefinition {
    const compose = parse(fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, ComposeService>;
    };
    const definition = compose.services[name];
    if (!definition) throw new Error(`docker-compose.yml has no service "${name}"`);
    return new ComposeServiceDefinition(name, definition);
  }

  get environment(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.definition.environment ?? {}).map(([key, value]) => [key, withDefaults(String(value))]));
  }

  /** The file on this machine that the service sees at `containerPath`, through its bind mounts. */
  hostPath(containerPath: string): string {
    for (const volume of this.definition.volumes ?? []) {
      const [source, target] = volume.split(':');
      if (source.startsWith('.') && (containerPath === target || containerPath.startsWith(`${target}/`))) {
        return path.join(projectRoot, source, path.relative(target, containerPath));
      }
    }
    throw new Error(`${this.name} in docker-compose.yml mounts nothing of this project at ${containerPath}`);
  }

  /** The script its `/bin/sh <script>` entrypoint runs, on this machine. */
  get entrypointScript(): string {
    const [shell, script] = this.definition.entrypoint ?? [];
    if (shell !== '/bin/sh' || !script) throw new Error(`${this.name} in docker-compose.yml does not run a script with /bin/sh`);
    return this.hostPath(script);
  }
}
