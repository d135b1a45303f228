import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.js';
import { encryptToken } from '../connections/token-crypto.js';
import type { Db } from '../db/client.js';
import { isDomainEventType, DOMAIN_EVENT_TYPE_NAMES } from '../domain-events/catalogue.js';
import type { Prisma, WebhookEndpoint } from '../generated/prisma/client.js';
import { Invalid, NotFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { assertDeliverableUrl } from './address-policy.js';
import { generateWebhookSecret } from './signing.js';

export interface WebhookInput {
  url: string;
  /** Catalogue types; empty or absent = every type. */
  eventTypes?: string[] | null;
  description?: string | null;
  enabled?: boolean | null;
  rateLimitPerSecond?: number | null;
}

/** An endpoint just registered or whose secret was rotated, with the secret: shown this once. */
export type WebhookWithSecret = WebhookEndpoint & { secret: string };

/** Rotation keeps the old secret signing for a while (default a day) so receivers can switch; at most a week. */
export const DEFAULT_SECRET_GRACE_SECONDS = 24 * 3600;
export const MAX_SECRET_GRACE_SECONDS = 7 * 24 * 3600;
export const MAX_RATE_LIMIT = 10_000;

function checkEventTypes(types: string[] | null | undefined): string[] {
  const list = [...new Set(types ?? [])];
  const unknown = list.filter((type) => !isDomainEventType(type));
  if (unknown.length) {
    throw new Invalid(
      `eventTypes: ${unknown.map((type) => `"${type}"`).join(', ')} not in the catalogue (GET /v1/event-types lists ${DOMAIN_EVENT_TYPE_NAMES.length} types)`,
    );
  }
  return list;
}

function checkDescription(description: string | null | undefined): string {
  const text = (description ?? '').trim();
  if (text.length > 500) throw new Invalid('description must be at most 500 characters');
  return text;
}

function checkRateLimit(limit: number | null | undefined): number | null {
  if (limit == null) return null;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RATE_LIMIT) {
    throw new Invalid(`rateLimitPerSecond must be an integer from 1 to ${MAX_RATE_LIMIT} (or null for none)`);
  }
  return limit;
}

export async function createWebhook(ctx: ServiceContext, input: WebhookInput): Promise<WebhookWithSecret> {
  const url = await assertDeliverableUrl(input.url, ctx.config.webhooks);
  const data = {
    eventTypes: checkEventTypes(input.eventTypes),
    description: checkDescription(input.description),
    rateLimitPerSecond: checkRateLimit(input.rateLimitPerSecond),
  };
  const secret = generateWebhookSecret();
  const row = await ctx.db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        id: newId(),
        workspaceId: ctx.workspaceId,
        url: url.toString(),
        ...data,
        enabled: input.enabled ?? true,
        secretCiphertext: encryptToken(ctx.tokenKeys, secret),
      },
    });
    await recordAudit(
      { ...ctx, db: tx as Db },
      { action: 'webhook.created', targetType: 'webhook', targetId: created.id, details: { url: created.url } },
    );
    return created;
  });
  return { ...row, secret };
}

export function listWebhooks(ctx: ServiceContext, args: PageArgs): Promise<Page<WebhookEndpoint>> {
  const where = { workspaceId: ctx.workspaceId };
  return paginate(args, {
    list: `webhooks:${ctx.workspaceId}`,
    count: () => ctx.db.webhookEndpoint.count({ where }),
    fetch: (window) => ctx.db.webhookEndpoint.findMany(idOrderedWindow(where, window)),
    keyOf: (row) => [row.id],
  });
}

export async function getWebhook(ctx: Pick<ServiceContext, 'db' | 'workspaceId'>, id: string): Promise<WebhookEndpoint> {
  const row = await ctx.db.webhookEndpoint.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!row) throw new NotFound(`webhook ${id} not found`);
  return row;
}

export async function updateWebhook(
  ctx: ServiceContext,
  id: string,
  input: Partial<Omit<WebhookInput, 'url'>> & { url?: string | null },
): Promise<WebhookEndpoint> {
  const current = await getWebhook(ctx, id);
  const data: Prisma.WebhookEndpointUpdateInput = {};
  if (input.url != null) data.url = (await assertDeliverableUrl(input.url, ctx.config.webhooks)).toString();
  if (input.eventTypes !== undefined) data.eventTypes = checkEventTypes(input.eventTypes);
  if (input.description !== undefined) data.description = checkDescription(input.description);
  if (input.rateLimitPerSecond !== undefined) data.rateLimitPerSecond = checkRateLimit(input.rateLimitPerSecond);
  if (input.enabled != null) {
    data.enabled = input.enabled;
    // Enabled again by hand (after a 410 or five failing days): a fresh start.
    if (input.enabled && !current.enabled) Object.assign(data, { disabledReason: null, disabledAt: null, failingSince: null });
    if (!input.enabled && current.enabled) Object.assign(data, { disabledReason: 'disabled through the API', disabledAt: ctx.clock.now() });
  }
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.update({ where: { id: current.id }, data });
    const fields = Object.keys(input).filter((key) => (input as Record<string, unknown>)[key] !== undefined);
    await recordAudit(
      { ...ctx, db: tx as Db },
      { action: 'webhook.updated', targetType: 'webhook', targetId: row.id, details: { fields } },
    );
    return row;
  });
}

/** Deletes the endpoint with its deliveries and their history; pending retries find nothing and stop. */
export async function deleteWebhook(ctx: ServiceContext, id: string): Promise<void> {
  const current = await getWebhook(ctx, id);
  await ctx.db.$transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id: current.id } });
    await recordAudit(
      { ...ctx, db: tx as Db },
      { action: 'webhook.deleted', targetType: 'webhook', targetId: current.id, details: { url: current.url } },
    );
  });
}

/** A new secret; the old one keeps signing (a second signature) for the grace period. */
export async function rotateWebhookSecret(
  ctx: ServiceContext,
  id: string,
  graceSeconds = DEFAULT_SECRET_GRACE_SECONDS,
): Promise<WebhookWithSecret> {
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_SECRET_GRACE_SECONDS) {
    throw new Invalid(`gracePeriodSeconds must be an integer from 0 to ${MAX_SECRET_GRACE_SECONDS}`);
  }
  const current = await getWebhook(ctx, id);
  const secret = generateWebhookSecret();
  const row = await ctx.db.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: {
        secretCiphertext: encryptToken(ctx.tokenKeys, secret),
        previousSecretCiphertext: graceSeconds > 0 ? current.secretCiphertext : null,
        previousSecretExpiresAt: graceSeconds > 0 ? new Date(ctx.clock.now().getTime() + graceSeconds * 1000) : null,
      },
    });
    await recordAudit(
      { ...ctx, db: tx as Db },
      { action: 'webhook.secret_rotated', targetType: 'webhook', targetId: current.id, details: { gracePeriodSeconds: graceSeconds } },
    );
    return updated;
  });
  return { ...row, secret };
}
