import { inArea, route } from './route.js';

const UPDATE_SYNC_SCHEDULE_EXAMPLE = { everyMinutes: 30, paused: false };

const CREATE_CONNECT_LINK_EXAMPLE = { providerId: 'demo', redirectUri: 'https://app.example.com/vitasync/done' };

/** OAuth, provider connections, their syncs and jobs. */
export const CONNECTION_ROUTES = inArea('OAuth and connections', [
  route('GET /oauth/:providerId/authorize', { browser: 'authorize' }, 'none', 'Redirect user to provider OAuth'),
  route('GET /oauth/:providerId/callback', { browser: 'callback' }, 'none', 'OAuth callback (handled by VitaSync)'),
  route('POST /providers/:providerId/push', { browser: 'push' }, 'none', 'Receive a provider push notification', {
    status: 200,
    beyondContract: true,
  }),
  route('GET /providers/:providerId/push', { browser: 'push-check' }, 'none', 'Answer a provider push subscription check', {
    beyondContract: true,
  }),
  route('GET /users/:userId/connections', 'Query.connections', 'read', 'List a user’s provider connections'),
  route('DELETE /users/:userId/connections/:connectionId', 'Mutation.disconnectConnection', 'write', 'Disconnect a provider'),
  route('POST /users/:userId/connections/:connectionId/sync', 'Mutation.syncConnection', 'write', 'Trigger a manual sync', {
    status: 202,
    conflict:
      'connection 01JZ0000000000000000000000 is already syncing: job sync:01JZ…:manual:01JZ… has not finished; follow it at GET /v1/jobs/sync%3A01JZ…',
  }),
  route('GET /users/:userId/connections/:connectionId/schedule', 'Query.syncSchedule', 'read', 'A connection’s periodic sync schedule', {
    beyondContract: true,
  }),
  route(
    'PATCH /users/:userId/connections/:connectionId/schedule',
    'Mutation.updateSyncSchedule',
    'write',
    'Change, pause or resume a connection’s periodic sync',
    {
      example: UPDATE_SYNC_SCHEDULE_EXAMPLE,
      beyondContract: true,
      conflict: 'connection 01JZ0000000000000000000000 is disconnected; connect again to sync',
    },
  ),
  route(
    'POST /users/:userId/connect-links',
    'Mutation.createConnectLink',
    'write',
    'Create a short-lived connect link for the user’s browser',
    { example: CREATE_CONNECT_LINK_EXAMPLE, beyondContract: true },
  ),
  route('GET /jobs/:jobId', 'Query.job', 'read', 'Status of a background job (sync…)', { beyondContract: true }),
]);
