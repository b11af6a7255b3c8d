// The live demo's bugged build of the workflow code (see demo-switches.ts). Only the bundle
// dist/workflow-bundle.bugged.js contains this file; workers load it with WORKFLOW_CODE_BUG=true.

export const workflowCodeBug: boolean = true;
