import { inArea, route } from './route.js';

const CREATE_CHANNEL_EXAMPLE = {
  type: 'slack',
  name: 'team alerts',
  settings: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX' },
};
const UPDATE_CHANNEL_EXAMPLE = { name: 'phone', settings: { topic: 'vitasync-alerts' }, enabled: true };

/** A user's notification channels and their delivery history (rules come with the next slice). */
export const NOTIFICATION_ROUTES = inArea('Notifications', [
  route('GET /users/:userId/notifications/channels', 'Query.notificationChannels', 'read', 'List notification channels'),
  route('POST /users/:userId/notifications/channels', 'Mutation.createNotificationChannel', 'write', 'Register a notification channel', {
    example: CREATE_CHANNEL_EXAMPLE,
  }),
  route('PUT /users/:userId/notifications/channels/:channelId', 'Mutation.updateNotificationChannel', 'write', 'Update channel settings', {
    example: UPDATE_CHANNEL_EXAMPLE,
  }),
  route('DELETE /users/:userId/notifications/channels/:channelId', 'Mutation.deleteNotificationChannel', 'write', 'Delete a channel'),
  route(
    'POST /users/:userId/notifications/channels/:channelId/test',
    'Mutation.testNotificationChannel',
    'write',
    'Send a test notification',
    {
      status: 200,
    },
  ),
  route('GET /users/:userId/notifications/logs', 'Query.notificationLogs', 'read', 'Query notification delivery history'),
  route('GET /notification-channel-types', 'Query.notificationChannelTypes', 'read', 'List channel types and their settings', {
    beyondContract: true,
  }),
]);
