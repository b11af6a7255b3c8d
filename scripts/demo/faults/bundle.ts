import fs from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { buggedWorkflowBundlePath } from '.';

// Builds the demo's bugged bundle at build time, beside the shipped ones: the same workflows,
// plus the bug's workflow interceptor module. Only the demo's orders pods load it. It has no
// tracing interceptors, so it runs whether or not the worker exports spans (its workflow spans are
// not traced; the build fails its workflow tasks anyway).
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../../workflows'),
    workflowInterceptorModules: [require.resolve('./workflow-code-bug-interceptors')],
    failureConverterPath: require.resolve('../../../services/common/encryption-failures'),
  });
  await fs.mkdir(path.dirname(buggedWorkflowBundlePath), { recursive: true });
  await fs.writeFile(buggedWorkflowBundlePath, code);
  console.log(
    `demo's bugged workflow bundle written to ${path.relative(process.cwd(), buggedWorkflowBundlePath)} (${(code.length / 1024).toFixed(0)} KiB)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
