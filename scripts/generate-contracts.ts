import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../services/common/paths';

// Writes the TypeScript side of each contract in contracts/: the JSON Schema as a literal, and the
// types json-schema-to-ts derives from it. Python reads the JSON itself (services/fraud/fraud/contract.py).

/** The contracts: the JSON Schema file, the TypeScript module made from it, and the types it exports. */
export const CONTRACTS = [
  {
    schema: 'contracts/fraud-screening.schema.json',
    module: 'services/common/fraud-screening-contract.ts',
    constant: 'fraudScreeningContract',
    types: ['ScreeningRequest', 'ScreeningVerdict'],
  },
];

/** The module's text for one contract, as `npm run contracts` writes it. */
export function contractModule({ schema, constant, types }: (typeof CONTRACTS)[number]): string {
  const json = JSON.stringify(JSON.parse(fs.readFileSync(path.join(projectRoot, schema), 'utf8')), null, 2);
  return [
    `// Generated from ${schema} by \`npm run contracts\`: edit the schema, then run it again.`,
    `import type { FromSchema } from 'json-schema-to-ts';`,
    ``,
    `export const ${constant} = ${json} as const;`,
    ``,
    ...types.map((type) => `export type ${type} = FromSchema<(typeof ${constant})['$defs']['${type}']>;`),
    ``,
  ].join('\n');
}

if (require.main === module) {
  for (const contract of CONTRACTS) {
    fs.writeFileSync(path.join(projectRoot, contract.module), contractModule(contract));
    console.log(`${contract.module} written from ${contract.schema}`);
  }
}
