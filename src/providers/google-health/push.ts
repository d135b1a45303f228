import { createPublicKey, verify as verifySignature } from 'node:crypto';
import type { Config } from '../../config.js';
import { BadRequest } from '../../lib/errors.js';
import { sameSecret } from '../../lib/signing.js';
import { ProviderError } from '../provider-error.js';
import type { PushNotice, PushRequest } from '../provider.js';
import { googleDataType } from './mapping.js';
import { isSessionStream } from './sessions.js';

/**
 * Google Health API webhooks (https://developers.google.com/health/webhooks; REST reference projects.subscribers).
 * The app's subscriber (made once per Google Cloud project, AUTOMATIC policy: no per-user subscription) names our
 * push URL and a secret. Google checks the URL with two POSTs of {"type": "verification"}: with `Authorization`
 * set to the secret, answered 201 Created; without it, answered 401 (pushHandshake). Notifications then carry, per
 * EndpointAuthorization, an ECDSA (NIST P-256) signature of the JSON payload in X-HEALTHAPI-SIGNATURE, to verify
 * with Google's public key: Google does not say where it publishes the key, so the operator sets it
 * (GOOGLE_HEALTH_PUBLIC_KEY, PEM). A notification that carries the secret in `Authorization` is trusted as well
 * (the reference says the secret secures notifications too; in practice Google sends it only when verifying).
 * A notification is { data: { healthUserId, operation: UPSERT|DELETE, dataType, intervals } } (alone or in a list):
 * it names what changed and carries no data, so it starts an incremental sync.
 */
export const WEBHOOK_SECRET_ENV = 'GOOGLE_HEALTH_WEBHOOK_SECRET';
export const PUBLIC_KEY_ENV = 'GOOGLE_HEALTH_PUBLIC_KEY';
export const SIGNATURE_HEADER = 'x-healthapi-signature';

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body), contentType: 'application/json' });

function authorized(request: PushRequest, config: Config): boolean {
  const secret = config.env[WEBHOOK_SECRET_ENV];
  const given = request.headers.get('authorization');
  return !!secret && !!given && sameSecret(given.replace(/^Bearer /, ''), secret);
}

/** The ECDSA signature over the raw body, base64 (standard or URL-safe), DER or IEEE P1363 (r‖s) encoded. */
function signatureVerifies(body: string, signature: string, publicKeyPem: string): boolean {
  const key = createPublicKey(publicKeyPem);
  const bytes = Buffer.from(signature, signature.includes('-') || signature.includes('_') ? 'base64url' : 'base64');
  const dsaEncoding = bytes.length === 64 ? 'ieee-p1363' : 'der';
  try {
    return verifySignature('sha256', Buffer.from(body), { key, dsaEncoding }, bytes);
  } catch {
    return false;
  }
}

function verify(request: PushRequest, config: Config): void {
  const signature = request.headers.get(SIGNATURE_HEADER);
  const publicKey = config.env[PUBLIC_KEY_ENV];
  if (signature && publicKey) {
    if (!signatureVerifies(request.body, signature, publicKey))
      throw new ProviderError(`${SIGNATURE_HEADER} does not verify`, 'unauthorized');
    return;
  }
  if (authorized(request, config)) return;
  throw new ProviderError(
    publicKey
      ? `neither a ${SIGNATURE_HEADER} signature nor the ${WEBHOOK_SECRET_ENV} authorization`
      : `no ${WEBHOOK_SECRET_ENV} authorization, and ${PUBLIC_KEY_ENV} is not set to verify ${SIGNATURE_HEADER}`,
    'unauthorized',
  );
}

const isVerification = (body: string) => {
  try {
    return (JSON.parse(body) as { type?: unknown } | null)?.type === 'verification';
  } catch {
    return false;
  }
};

/** Google's endpoint verification: 201 with the subscriber's secret, 401 without it. */
export function googlePushHandshake(request: PushRequest, config: Config) {
  if (request.method !== 'POST' || !isVerification(request.body)) return null;
  if (authorized(request, config)) return json(201, { verified: true });
  return json(401, {
    statusCode: 401,
    error: 'Unauthorized',
    message: `Authorization must be the subscriber secret (${WEBHOOK_SECRET_ENV})`,
  });
}

export function parseGooglePush(request: PushRequest, config: Config): PushNotice[] {
  verify(request, config);
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    throw new BadRequest('a Google Health notification body must be JSON');
  }
  const items = Array.isArray(body) ? body : [body];
  return items.flatMap((item): PushNotice[] => {
    const data = (item as { data?: { healthUserId?: unknown; operation?: unknown; dataType?: unknown } } | null)?.data;
    if (typeof data?.healthUserId !== 'string' || !data.healthUserId) return [];
    // A deletion cannot be synced (a sync adds and corrects); a type we do not read starts nothing.
    if (
      data.operation !== 'UPSERT' ||
      typeof data.dataType !== 'string' ||
      (!googleDataType(data.dataType) && !isSessionStream(data.dataType))
    )
      return [];
    return [{ externalUserId: data.healthUserId }];
  });
}
