import type { HealthEvent } from '../generated/prisma/client.js';

/** An event as stored and served. */
export type HealthEventRow = HealthEvent;
