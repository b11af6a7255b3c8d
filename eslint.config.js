// @ts-check
const { defineConfig } = require('eslint/config');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');

// Workflow code runs in Temporal's deterministic sandbox and is replayed from history: anything it
// imports must behave the same on every replay. An allowlist, so a new dependency is a decision.
const workflowImports = {
  patterns: [
    {
      regex: '^(?!(@temporalio/workflow|@temporalio/common)$|\\./|\\.\\./services/)',
      message:
        'Workflow code imports only @temporalio/workflow, @temporalio/common and ./ workflow modules: Node built-ins, clients, I/O and random ids belong in an activity.',
    },
    {
      regex: '^\\.\\./services/',
      allowTypeImports: true,
      message: 'Workflow code takes only types from services/ (`import type`): their code runs in the service workers, as activities.',
    },
  ],
};

// Globals that Node has and the sandbox does not (they throw at run time), or that it disables.
// Date, Math.random and setTimeout stay allowed: the SDK replaces them with deterministic versions
// (the workflow clock, a seeded PRNG, a durable timer), and workflows/order-progress.ts relies on Date.now().
const sandboxGlobals = [
  ...['process', 'require', 'Buffer', '__dirname', '__filename'].map((name) => ({
    name,
    message: 'Workflow code has no Node runtime: pass what it needs in the workflow input, or read it in an activity.',
  })),
  ...['setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'].map((name) => ({
    name,
    message: "Not in the workflow sandbox: use sleep() or condition() from '@temporalio/workflow'.",
  })),
  ...['fetch', 'performance'].map((name) => ({ name, message: 'I/O and wall-clock timing belong in an activity.' })),
  { name: 'crypto', message: "Use uuid4() from '@temporalio/workflow': it is replayed with the same value." },
  ...['WeakRef', 'FinalizationRegistry'].map((name) => ({
    name,
    message: 'Garbage collection is not deterministic; the SDK makes these throw in workflow code.',
  })),
];

module.exports = defineConfig(
  { ignores: ['dist/', 'coverage/', '.cache/', 'data/'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    // A few type-aware rules rather than a preset: tsc (strict) already checks the rest.
    rules: {
      // An un-awaited activity, child workflow or client call runs unobserved: its failure is lost and the code moves on.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a void callback is expected (signal handlers, emitters): its rejection goes nowhere.
      '@typescript-eslint/no-misused-promises': 'error',
      // Awaiting something that is not a promise usually means a call that was meant to be async is not.
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', workflowImports],
      'no-restricted-globals': ['error', ...sandboxGlobals],
    },
  },
  // Last: turns off every rule that formats, so Prettier alone decides the layout.
  prettier,
);
