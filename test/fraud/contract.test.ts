import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../services/common/paths';
import { CONTRACTS, contractModule } from '../../scripts/generate-contracts';
import { fraudScreeningContract } from '../../services/common/fraud-screening-contract';

// One contract for both languages: Python validates against contracts/fraud-screening.schema.json,
// TypeScript takes its types from the module generated from it, which must not drift from it.

test('the TypeScript screening contract is the JSON Schema the Python worker validates against', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(projectRoot, 'contracts', 'fraud-screening.schema.json'), 'utf8'));
  expect(fraudScreeningContract).toEqual(schema);
});

test('every generated contract module declares the types it is generated to declare', () => {
  for (const contract of CONTRACTS) {
    const source = fs.readFileSync(path.join(projectRoot, contract.module), 'utf8');
    for (const type of contract.types) expect(source).toContain(`export type ${type} = FromSchema<`);
    expect(contractModule(contract)).toContain(`export const ${contract.constant} = `);
  }
});
