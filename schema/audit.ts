import { AUDIT_ACTIONS } from '../src/audit/actions.js';
import { listAuditEvents } from '../src/audit/audit.js';
import { Invalid } from '../src/lib/errors.js';
import { rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const AuditEventType = builder.prismaObject('AuditEvent', {
  description: 'A security-relevant action, as recorded (append-only; no health values).',
  authScopes: { admin: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    action: t.exposeString('action', { description: AUDIT_ACTIONS.join(', ') }),
    actorKeyId: t.exposeString('actorKeyId', { nullable: true, description: 'The API key that acted; null for the system.' }),
    targetType: t.exposeString('targetType'),
    targetId: t.exposeString('targetId'),
    details: t.expose('details', { type: 'JSON' }),
    requestId: t.exposeString('requestId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const AuditEventPage = pageType('AuditEventPage', AuditEventType, 'A page of the audit log, oldest first.');

builder.queryFields((t) => ({
  auditLog: t.field({
    type: AuditEventPage,
    description: "The workspace's audit log: key changes, deletions, connections and settings changes.",
    authScopes: { admin: true },
    args: { action: t.arg.string({ description: 'Only this action.', ...rule({ enum: AUDIT_ACTIONS }) }), ...pageArgs },
    resolve: (_root, { action, ...page }, ctx) => {
      if (action && !AUDIT_ACTIONS.includes(action as never)) throw new Invalid(`action must be one of ${AUDIT_ACTIONS.join(', ')}`);
      return listAuditEvents(serviceContext(ctx), { action }, page);
    },
  }),
}));
