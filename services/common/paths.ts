import fs from 'node:fs';
import path from 'node:path';

/** The project's root folder (the one with package.json), whether the code runs compiled from dist/ or from source. */
export const projectRoot: string = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
})();

/**
 * The workflow bundles made at build time (scripts/bundle-workflows.ts); workers never bundle at
 * start. The same workflow code in both: `traced` adds the OpenTelemetry workflow interceptors,
 * for a worker that exports spans; `untraced` is for one that does not, so tracing that is off
 * costs nothing (npm run bench: a quarter of the orders worker's CPU per order).
 */
export const workflowBundlePaths = {
  traced: path.join(projectRoot, 'dist', 'workflow-bundle.js'),
  untraced: path.join(projectRoot, 'dist', 'workflow-bundle.untraced.js'),
} as const;
