import { inArea, route } from './route.js';

const CREATE_CHANNEL_EXAMPLE = {
  type: 'slack',
  name: 'team alerts',
  settings: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX' },
};
const UPDATE_CHANNEL_EXAMPLE = { name: 'phone', settings: { topic: 'vitasync-alerts' }, enabled: true };
const RULE_EXAMPLE = {
  name: 'resting heart rate high',
  channelIds: ['01JZ8Q3V5B6C7D8E9F0G1H2J3K'],
  condition: { kind: 'threshold', metricType: 'resting_heart_rate', operator: 'above', value: 70, days: 3 },
  quietHours: { start: '22:00', end: '07:00' },
  cooldownMinutes: 1440,
};

/** A user's notification channels, the rules that send to them, and their delivery history. */
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
  route('GET /users/:userId/notifications/rules', 'Query.notificationRules', 'read', 'List notification rules'),
  route('POST /users/:userId/notifications/rules', 'Mutation.createNotificationRule', 'write', 'Create a notification rule', {
    example: RULE_EXAMPLE,
  }),
  route('PUT /users/:userId/notifications/rules/:ruleId', 'Mutation.updateNotificationRule', 'write', 'Update a rule', {
    example: { ...RULE_EXAMPLE, enabled: false },
  }),
  route('DELETE /users/:userId/notifications/rules/:ruleId', 'Mutation.deleteNotificationRule', 'write', 'Delete a rule'),
  route('GET /users/:userId/notifications/logs', 'Query.notificationLogs', 'read', 'Query notification delivery history'),
  route('GET /notification-channel-types', 'Query.notificationChannelTypes', 'read', 'List channel types and their settings', {
    beyondContract: true,
  }),
]);
