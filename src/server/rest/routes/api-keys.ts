import { inArea, route } from './route.js';

const CREATE_API_KEY_EXAMPLE = { name: 'ingest service', scope: 'write', expiresAt: '2027-01-01T00:00:00.000Z' };

const ROTATE_API_KEY_EXAMPLE = { gracePeriodSeconds: 3600 };

/** API keys and the audit log of the workspace. */
export const API_KEY_ROUTES = inArea('API keys', [
  route('POST /api-keys', 'Mutation.createApiKey', 'admin', 'Create an API key', { example: CREATE_API_KEY_EXAMPLE }),
  route('GET /api-keys', 'Query.apiKeys', 'admin', 'List API keys'),
  route('DELETE /api-keys/:keyId', 'Mutation.deleteApiKey', 'admin', 'Delete an API key', {
    conflict: 'this is the last admin key of the workspace; create another admin key first',
  }),
  route('POST /api-keys/:keyId/rotate', 'Mutation.rotateApiKey', 'admin', 'Rotate (replace) an API key', {
    example: ROTATE_API_KEY_EXAMPLE,
  }),
  route('GET /audit-log', 'Query.auditLog', 'admin', 'The workspace’s audit log (append-only)', { beyondContract: true }),
]);
