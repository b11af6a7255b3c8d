// The defects the live demo switches on (docs/demo.md). This is the file every worker ships:
// everything is off. scripts/bundle-workflows.ts also writes dist/workflow-bundle.bugged.js,
// in which demo-switches.bugged.ts takes this file's place.

/** A crash in OrderWorkflow after the payment: it fails the workflow task, so the order waits there until a fixed build runs it. */
export const workflowCodeBug: boolean = false;
