import fs from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundlePath } from '../services/common/paths';
import { buggedWorkflowBundlePath } from '../services/common/worker-runner';

// Bundles the workflow code once, at build time. Workers load this file instead of bundling
// at every start, which takes seconds.
async function main(): Promise<void> {
  const workflowsPath = require.resolve('../workflows');
  await writeBundle(workflowBundlePath, (await bundleWorkflowCode({ workflowsPath })).code);

  // The live demo's bugged build (docs/demo.md): the same code, with demo-switches.bugged in
  // place of demo-switches. An alias on the resolved path swaps the one module and nothing else.
  const switches = path.join(path.dirname(workflowsPath), 'demo-switches');
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...config.resolve?.alias, [`${switches}$`]: `${switches}.bugged` } },
    }),
  });
  await writeBundle(buggedWorkflowBundlePath, code);
}

async function writeBundle(file: string, code: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, code);
  console.log(`workflow bundle written to ${path.relative(process.cwd(), file)} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
