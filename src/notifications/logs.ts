import type { ServiceContext } from '../context.js';
import type { NotificationLog } from '../generated/prisma/client.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { getUser } from '../users/users.js';

export const LOG_STATUSES = ['sent', 'failed'] as const;

export interface LogFilter {
  channelId?: string | null;
  status?: (typeof LOG_STATUSES)[number] | null;
}

/** A user's notification attempts, oldest first. */
export async function listNotificationLogs(
  ctx: ServiceContext,
  userId: string,
  filter: LogFilter,
  args: PageArgs,
): Promise<Page<NotificationLog>> {
  const user = await getUser(ctx, userId);
  const where = {
    userId: user.id,
    ...(filter.channelId ? { channelId: filter.channelId } : {}),
    ...(filter.status ? { status: filter.status } : {}),
  };
  return paginate(args, {
    list: `notification-logs:${user.id}:${filter.channelId ?? ''}:${filter.status ?? ''}`,
    count: () => ctx.db.notificationLog.count({ where }),
    fetch: (window) => ctx.db.notificationLog.findMany(idOrderedWindow(where, window)),
    keyOf: (row) => [row.id],
  });
}
