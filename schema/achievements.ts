import type { AchievementResource } from '../src/achievements/achievement-resource.js';
import { listAchievements } from '../src/achievements/achievements.js';
import { ACHIEVEMENT_TYPES } from '../src/achievements/catalogue.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const AchievementType = builder.objectRef<AchievementResource>('Achievement').implement({
  description: `An achievement a user unlocked, once each. The catalogue: ${ACHIEVEMENT_TYPES.map((type) => `${type.id} (${type.description})`).join('; ')}`,
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    type: t.exposeString('type', { description: 'The catalogue id.' }),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    unlockedAt: t.exposeString('unlockedAt', { description: 'When it was unlocked (ISO 8601 UTC).' }),
    data: t.expose('data', {
      type: 'JSON',
      description: 'What unlocked it: the day and its steps, the streak’s days, the connection, the record, the goal and period…',
    }),
    eventId: t.exposeString('eventId', { description: 'The domain event that unlocked it (GET /v1/domain-events).' }),
  }),
});

const AchievementPage = pageType('AchievementPage', AchievementType, 'A page of unlocked achievements, in unlock order.');

builder.queryFields((t) => ({
  achievements: t.field({
    type: AchievementPage,
    description: 'List the achievements a user unlocked.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { userId, ...page }, ctx) => listAchievements(serviceContext(ctx), String(userId), page),
  }),
}));
