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

/** The workflow bundle made at build time (scripts/bundle-workflows.ts); workers never bundle at start. */
export const workflowBundlePath = path.join(projectRoot, 'dist', 'workflow-bundle.js');
