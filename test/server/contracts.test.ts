import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schema } from '../../schema/index.js';
import { printOpenApi, printSdl } from '../../src/server/contracts.js';

const REFRESH = 'the checked-in contract is stale: run `npm run contracts` and commit schema/schema.graphql and schema/openapi.json';

describe('printed contracts', () => {
  it('has schema/schema.graphql equal to the SDL the code produces', () => {
    const checkedIn = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    expect(printSdl(schema), REFRESH).toBe(checkedIn);
  });

  it('has schema/openapi.json equal to the OpenAPI document the code produces', () => {
    const checkedIn = readFileSync(new URL('../../schema/openapi.json', import.meta.url), 'utf8');
    expect(printOpenApi(schema), REFRESH).toBe(checkedIn);
  });
});
