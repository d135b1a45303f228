import { channelTypeInfos, type ChannelTypeInfo } from '../src/notifications/channel-type-info.js';
import { paginateArray } from '../src/lib/pagination.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const SettingType = builder.objectRef<ChannelTypeInfo['settings'][number]>('NotificationChannelSetting').implement({
  description: 'One setting of a channel type.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Its name in `settings`; a dotted name is a nested field (keys.p256dh).' }),
    required: t.exposeBoolean('required'),
    writeOnly: t.exposeBoolean('writeOnly', { description: 'A secret: stored encrypted, never returned.' }),
    description: t.exposeString('description'),
  }),
});

const InfoType = builder.objectRef<ChannelTypeInfo>('NotificationChannelTypeInfo').implement({
  description: 'A notification channel type as this server offers it.',
  fields: (t) => ({
    type: t.exposeString('type'),
    available: t.exposeBoolean('available', { description: 'false when the server lacks what the type needs (SMTP, VAPID keys).' }),
    unavailableReason: t.exposeString('unavailableReason', { nullable: true }),
    settings: t.field({ type: [SettingType], resolve: (info) => info.settings }),
    applicationServerKey: t.exposeString('applicationServerKey', {
      nullable: true,
      description: 'webpush: the VAPID public key (base64url) to pass to pushManager.subscribe as applicationServerKey.',
    }),
  }),
});

const InfoPage = pageType('NotificationChannelTypePage', InfoType, 'The notification channel types, by name.');

builder.queryFields((t) => ({
  notificationChannelTypes: t.field({
    type: InfoPage,
    description: 'The notification channel types: their settings, whether this server can send them, the Web Push key.',
    authScopes: { read: true },
    args: { ...pageArgs },
    resolve: (_root, args, ctx) =>
      paginateArray(args, 'notification-channel-types', channelTypeInfos(serviceContext(ctx).config), (info) => info.type),
  }),
}));
