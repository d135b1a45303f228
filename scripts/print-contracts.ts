/** Writes the printed contracts (schema/schema.graphql, schema/openapi.json) from the code: `npm run contracts`. */
import { writeFileSync } from 'node:fs';
import { schema } from '../schema/index.js';
import { printOpenApi, printSdl } from '../src/server/contracts.js';

const root = new URL('../schema/', import.meta.url);
writeFileSync(new URL('schema.graphql', root), printSdl(schema));
writeFileSync(new URL('openapi.json', root), printOpenApi(schema));
process.stdout.write('wrote schema/schema.graphql and schema/openapi.json\n');
