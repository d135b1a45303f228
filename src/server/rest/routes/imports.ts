import { inArea, route } from './route.js';

/** Imports of other apps' files (issue 23, beyond the contract): Apple Health exports, FIT, GPX and TCX. */
export const IMPORT_ROUTES = inArea('Reports, exports and imports', [
  route('POST /users/:userId/imports', 'Mutation.createImport', 'write', 'Import an uploaded Apple Health export, FIT, GPX or TCX file', {
    status: 202,
    beyondContract: true,
    example: { fileId: '01JZ0000000000000000000000', format: 'apple_health' },
  }),
  route('GET /users/:userId/imports', 'Query.imports', 'read', 'A user’s imports, newest first', { beyondContract: true }),
  route('GET /users/:userId/imports/:importId', 'Query.import', 'read', 'An import with its progress, counts and rejections', {
    beyondContract: true,
  }),
]);
