/** The audit registry: every action the audit log records. */
export const AUDIT_ACTIONS = [
  'api_key.created',
  'api_key.rotated',
  'api_key.deleted',
  'user.deleted',
  'health_data.deleted',
  'connection.created',
  'connection.disconnected',
  'connection.sync_schedule_changed',
  'workspace.source_priority_changed',
  'workspace.redirect_uris_changed',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.secret_rotated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
