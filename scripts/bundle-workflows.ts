import fs from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundlePaths } from '../services/common/paths';

// Bundles the workflow code once, at build time. Workers load these files instead of bundling
// at every start, which takes seconds. Two bundles of the same code: with the tracing workflow
// interceptors and without them (services/common/paths.ts says which worker loads which).
async function main(): Promise<void> {
  const bundles = [
    { file: workflowBundlePaths.traced, interceptors: [require.resolve('../services/common/tracing-workflow-interceptors')] },
    { file: workflowBundlePaths.untraced, interceptors: [] },
  ];
  for (const { file, interceptors } of bundles) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../workflows'),
      workflowInterceptorModules: interceptors,
      // Failures the workflow code raises are encoded inside the sandbox, so the codec encrypts them too.
      failureConverterPath: require.resolve('../services/common/encryption-failures'),
    });
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, code);
    console.log(`workflow bundle written to ${path.relative(process.cwd(), file)} (${(code.length / 1024).toFixed(0)} KiB)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
