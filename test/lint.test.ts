import { ESLint, type Linter } from 'eslint';

// The path of a real workflow file, so the type-aware rules get type information; what is linted
// is the probe's text, not the file's.
const WORKFLOW_FILE = 'workflows/index.ts';

// Jest's module sandbox cannot run the dynamic import() with which ESLint loads its config file,
// so the test loads that same file and hands it over.
const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: require('../eslint.config.js') as Linter.Config[] });

/** The rules eslint.config.js reports for `code` written in workflow code, one `rule: message` per finding. */
async function workflowFindings(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: WORKFLOW_FILE });
  return result.messages.map((finding) => `${finding.ruleId ?? 'parser'}: ${finding.message}`);
}

describe('the lint rules for workflow code', () => {
  jest.setTimeout(120_000);

  test('report an import of a Node built-in, with or without the node: prefix', async () => {
    const findings = await workflowFindings(
      "import fs from 'node:fs';\nimport { createHash } from 'crypto';\nexport const io = [fs, createHash];\n",
    );
    expect(findings).toEqual([
      expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: 'node:fs' import is restricted/),
      expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: 'crypto' import is restricted/),
    ]);
  });

  test('report a package that does I/O or makes random ids', async () => {
    const findings = await workflowFindings(
      "import { Client } from '@temporalio/client';\nimport { nanoid } from 'nanoid';\nexport const io = [Client, nanoid];\n",
    );
    expect(findings).toEqual([
      expect.stringMatching(/'@temporalio\/client' import is restricted/),
      expect.stringMatching(/'nanoid' import is restricted/),
    ]);
  });

  test('report a value import from services/, whose code belongs to an activity worker', async () => {
    const findings = await workflowFindings(
      "import { createPaymentActivities } from '../services/payment/activities';\nexport const io = createPaymentActivities;\n",
    );
    expect(findings).toEqual([
      expect.stringMatching(
        /^@typescript-eslint\/no-restricted-imports: '..\/services\/payment\/activities' import is restricted.*only types/,
      ),
    ]);
  });

  test('allow a type import from services/ and the SDK modules made for workflows', async () => {
    const findings = await workflowFindings(
      [
        "import { proxyActivities } from '@temporalio/workflow';",
        "import type { Duration } from '@temporalio/common';",
        "import type { PaymentActivities } from '../services/payment/activities';",
        "import { type InventoryActivities } from '../services/inventory/activities';",
        "import { TaskQueues } from './task-queues';",
        "export const payment = proxyActivities<PaymentActivities>({ taskQueue: TaskQueues.payment, startToCloseTimeout: '1 minute' });",
        'export type Types = Duration | InventoryActivities;',
        '',
      ].join('\n'),
    );
    expect(findings).toEqual([]);
  });

  test('report the Node globals the sandbox lacks: process, require, setInterval and crypto', async () => {
    const findings = await workflowFindings(
      "export const region = process.env.REGION;\nexport const fs: unknown = require('fs');\nsetInterval(() => undefined, 1000);\nexport const id = crypto.randomUUID();\n",
    );
    expect(findings).toEqual([
      expect.stringMatching(/^no-restricted-globals: Unexpected use of 'process'/),
      expect.stringMatching(/^no-restricted-globals: Unexpected use of 'require'/),
      expect.stringMatching(/^no-restricted-globals: Unexpected use of 'setInterval'.*sleep\(\)/),
      expect.stringMatching(/^no-restricted-globals: Unexpected use of 'crypto'.*uuid4\(\)/),
    ]);
  });

  test('allow Date.now(), new Date() and Math.random(), which the SDK makes deterministic', async () => {
    const findings = await workflowFindings('export const at = [Date.now(), new Date().toISOString(), Math.random()];\n');
    expect(findings).toEqual([]);
  });

  test('report an activity call that is not awaited', async () => {
    const findings = await workflowFindings(
      [
        "import { proxyActivities } from '@temporalio/workflow';",
        "import type { PaymentActivities } from '../services/payment/activities';",
        "const { refundPayment } = proxyActivities<PaymentActivities>({ startToCloseTimeout: '1 minute' });",
        'export async function refund(orderId: string): Promise<void> {',
        '  refundPayment({ orderId, idempotencyKey: orderId });',
        '}',
        '',
      ].join('\n'),
    );
    expect(findings).toEqual([expect.stringMatching(/^@typescript-eslint\/no-floating-promises: /)]);
  });
});
