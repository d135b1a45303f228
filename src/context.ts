import type { Db } from './db/client.js';
import type { EventBus } from './events/bus.js';
import type { Clock } from './lib/time.js';

/** What every service function receives: the database, the tenant it acts for, the clock and the event bus. */
export interface ServiceContext {
  db: Db;
  workspaceId: string;
  clock: Clock;
  events: EventBus;
}
