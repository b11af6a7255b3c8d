import { addWorkerPlugin } from '../../../services/common/worker-runner';
import { buggedWorkflowBundlePath } from '.';

// Preloaded into an orders pod, this is the live demo's bugged build of the workflow code (scene
// "Bug in the workflow code"): the worker runs the bugged bundle instead of the shipped one.

addWorkerPlugin({
  name: 'live-demo-workflow-code-bug',
  configureWorker: (options) => (options.workflowBundle ? { ...options, workflowBundle: { codePath: buggedWorkflowBundlePath } } : options),
});
