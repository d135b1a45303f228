import { inArea, route } from './route.js';

/** The domain event catalogue and the outbox, for admins watching the relay. */
export const DOMAIN_EVENT_ROUTES = inArea('Domain events', [
  route('GET /event-types', 'Query.eventTypes', 'read', 'List the domain event types and their payloads', { beyondContract: true }),
  route('GET /domain-events', 'Query.domainEvents', 'admin', 'List the workspace’s domain events (filter by type, after an id)', {
    beyondContract: true,
  }),
  route('GET /domain-events/stats', 'Query.domainEventStats', 'admin', 'The relay’s backlog, lag and receipts per consumer', {
    beyondContract: true,
  }),
]);
