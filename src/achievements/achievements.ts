import type { ServiceContext } from '../context.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { getUser } from '../users/users.js';
import { achievementResource, type AchievementResource } from './achievement-resource.js';

/** A user's unlocked achievements in unlock order. */
export async function listAchievements(ctx: ServiceContext, userId: string, args: PageArgs): Promise<Page<AchievementResource>> {
  const user = await getUser(ctx, userId);
  const where = { userId: user.id };
  const page = await paginate(args, {
    list: `achievements:${user.id}`,
    count: () => ctx.db.achievement.count({ where }),
    fetch: (window) => ctx.db.achievement.findMany(idOrderedWindow(where, window)),
    keyOf: (row) => [row.id],
  });
  return { ...page, data: page.data.map(achievementResource) };
}
