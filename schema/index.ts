import { builder } from './builder.js';
import './scalars.js';
import './users.js';
import './api-keys.js';
import './providers.js';
import './health.js';
import './events.js';
import './records.js';
import './ingest.js';
import './metric-types.js';
import './workspaces.js';
import './jobs.js';
import './connections.js';
import './sync-schedules.js';
import './audit.js';
import './domain-events.js';
import './files.js';
import './webhooks.js';
import './notifications.js';
import './notification-rules.js';
import './analytics.js';
import './notification-channel-types.js';
import './goals.js';
import './achievements.js';
import './challenges.js';
import './training-plans.js';

/** The whole GraphQL API; REST /v1 is this schema exposed through SOFA (src/server/rest/). */
export const schema = builder.toSchema({ sortSchema: true });
