import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The project's root folder. */
export const ROOT = path.resolve(__dirname, '../../..');

/** A file of the project, as text. */
export const readText = (relativePath: string): string => fs.readFileSync(path.join(ROOT, relativePath), 'utf8');

/** Every YAML document of a file (multi-document files give several); fails on a YAML error. */
export function readYamlDocuments(relativePath: string): unknown[] {
  return parseYamlDocuments(readText(relativePath), relativePath);
}

export function parseYamlDocuments(text: string, source: string): unknown[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0].message}`);
    const value: unknown = document.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

/** One YAML document, with `<<` merge keys resolved (docker compose uses them). */
export const readYaml = (relativePath: string): unknown => parse(readText(relativePath), { merge: true });

/** The project's files under a folder whose names end with one of `extensions`, relative to the root. */
export function listFiles(relativeDir: string, extensions: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const child = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (extensions.some((extension) => entry.name.endsWith(extension))) found.push(child);
    }
  };
  walk(relativeDir);
  return found.sort();
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses a duration such as `20s`, `1m30s`, `500ms` or `2h` into seconds. */
export function durationSeconds(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) throw new Error(`not a duration: "${text}"`);
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  return parts.reduce((total, [, amount, suffix]) => total + Number(amount) * unit[suffix], 0);
}

/** Splits an image reference into its name and tag (`undefined` when it has none). */
export function imageTag(image: string): { name: string; tag: string | undefined } {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > slash) return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
  return { name: withoutDigest, tag: undefined };
}
