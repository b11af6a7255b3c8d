import fs from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundlePath } from '../services/common/paths';

// Bundles the workflow code once, at build time. Workers load this file instead of bundling
// at every start, which takes seconds.
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: [require.resolve('../services/common/tracing-workflow-interceptors')],
    // Failures the workflow code raises are encoded inside the sandbox, so the codec encrypts them too.
    failureConverterPath: require.resolve('../services/common/encryption-failures'),
  });
  await fs.mkdir(path.dirname(workflowBundlePath), { recursive: true });
  await fs.writeFile(workflowBundlePath, code);
  console.log(`workflow bundle written to ${path.relative(process.cwd(), workflowBundlePath)} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
