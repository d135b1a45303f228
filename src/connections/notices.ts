import type { Connection, Prisma } from '../generated/prisma/client.js';
import { newId } from '../lib/ids.js';
import { log } from '../lib/logger.js';
import { ProviderError } from '../providers/provider-error.js';
import type { NoticeContent, Provider, ProviderCall, ProviderPage } from '../providers/provider.js';
import type { Platform } from '../jobs/platform.js';

/**
 * What push-first providers' notifications carried or named (Garmin), read by the sync they start: a sync walks
 * this pseudo-stream before the provider's own streams, one notice per page, oldest first.
 */
export const NOTICE_STREAM = 'notices';

/** Failed reads after which a notice is dropped, so one the provider will never answer cannot block the rest. */
export const MAX_NOTICE_ATTEMPTS = 5;

/** A page read for a sync, with the checkpoint to record once its data is stored. */
export interface PageRead {
  page: ProviderPage;
  checkpoint(): Promise<void>;
}

/** Stores a notification's contents for the connection; answers the id of the first, to name the sync job. */
export async function storeNotices(platform: Platform, connection: Connection, contents: NoticeContent[]): Promise<string> {
  const rows = contents.map((content) => ({
    id: newId(),
    connectionId: connection.id,
    stream: content.stream,
    url: content.url ?? null,
    payload: content.payload === undefined ? undefined : (content.payload as Prisma.InputJsonValue),
  }));
  await platform.db.providerNotice.createMany({ data: rows });
  return rows[0]!.id;
}

/** A client error other than auth and rate limits: asking again gets the same answer. */
const isPermanent = (error: unknown) =>
  error instanceof ProviderError &&
  error.status !== null &&
  error.status >= 400 &&
  error.status < 500 &&
  ![401, 403, 408, 429].includes(error.status);

/**
 * Reads the connection's oldest notice through the provider. Returns a page whose `nextPage` says whether to look
 * again, and the checkpoint that forgets the notice once its data is stored (a crash in between reads it again,
 * which stores only duplicates). Rate limits and refused tokens are the caller's, as for any page.
 */
export async function readOldestNotice(
  platform: Platform,
  provider: Provider,
  connection: Connection,
  call: ProviderCall,
): Promise<PageRead> {
  const notice = await platform.db.providerNotice.findFirst({ where: { connectionId: connection.id }, orderBy: { id: 'asc' } });
  if (!notice || !provider.readNotice) return { page: { samples: [], events: [], nextPage: null }, checkpoint: async () => undefined };
  const forget = async () => void (await platform.db.providerNotice.deleteMany({ where: { id: notice.id } }));
  const content: NoticeContent = {
    stream: notice.stream,
    ...(notice.url ? { url: notice.url } : {}),
    ...(notice.payload !== null ? { payload: notice.payload } : {}),
  };
  try {
    const data = await provider.readNotice(call, content, platform.config);
    return { page: { ...data, nextPage: 'next' }, checkpoint: forget };
  } catch (error) {
    if (error instanceof ProviderError && (error.kind === 'rate_limited' || error.kind === 'unauthorized')) throw error;
    const attempts = notice.attempts + 1;
    if (attempts >= MAX_NOTICE_ATTEMPTS || isPermanent(error)) {
      log.warn('provider notice dropped', {
        connectionId: connection.id,
        providerId: provider.id,
        stream: notice.stream,
        attempts,
        error: (error as Error).message,
      });
      await forget();
      return { page: { samples: [], events: [], nextPage: 'next' }, checkpoint: async () => undefined };
    }
    await platform.db.providerNotice.updateMany({ where: { id: notice.id }, data: { attempts } });
    throw error;
  }
}
