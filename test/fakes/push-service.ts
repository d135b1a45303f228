import { createECDH, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';
import { importJWK, jwtVerify, type JWTPayload } from 'jose';

/** One message the push service accepted: its headers, the verified VAPID claims and the decrypted payload. */
export interface PushMessage {
  headers: IncomingHttpHeaders;
  claims: JWTPayload;
  /** The `k` parameter of the Authorization header: the application server's VAPID public key (base64url). */
  vapidKey: string;
  /** The plaintext, decrypted with the subscription's private key and auth secret. */
  plaintext: string;
}

export interface PushService {
  origin: string;
  /** A browser's subscription to this service, as PushSubscription.toJSON() gives it. */
  subscription: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  messages: PushMessage[];
  /** Requests refused, with why (a bad VAPID header, a payload that does not decrypt): a test expects none. */
  refused: string[];
  /** Statuses to answer next, in order (410: the subscription is gone); 201 Created otherwise. */
  answers: number[];
  close(): Promise<void>;
}

const DAY_SECONDS = 24 * 60 * 60;

/**
 * A local push service (RFC 8030) holding one subscription whose keys the test generated: the user agent's ECDH
 * P-256 key pair and auth secret (RFC 8291 section 3). It checks each message with independent libraries — the VAPID
 * JWT with jose, the aes128gcm payload with http_ece — never with the code under test.
 */
export async function startPushService(): Promise<PushService> {
  const userAgent = createECDH('prime256v1');
  userAgent.generateKeys();
  const authSecret = randomBytes(16);
  const service = { messages: [], refused: [], answers: [] } as unknown as PushService;

  async function check(req: IncomingMessage, body: Buffer): Promise<PushMessage> {
    // RFC 8292 section 3: "Authorization: vapid t=<JWT>, k=<public key>".
    const match = /^vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? '');
    if (!match) throw new Error(`no VAPID authorization: ${req.headers.authorization}`);
    const [, jwt, vapidKey] = match as unknown as [string, string, string];
    // Section 3.2: k is the uncompressed P-256 point (0x04 || x || y) in base64url.
    const point = Buffer.from(vapidKey, 'base64url');
    if (point.length !== 65 || point[0] !== 0x04) throw new Error('k is not an uncompressed P-256 public key');
    const key = await importJWK(
      { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
      'ES256',
    );
    // Section 2: an ES256 JWS whose aud is the push resource's origin, exp within 24 hours, sub a contact URI (2.1).
    const { payload: claims } = await jwtVerify(jwt, key, {
      algorithms: ['ES256'],
      audience: service.origin,
      requiredClaims: ['exp', 'sub'],
    });
    if (claims.exp! - Math.floor(Date.now() / 1000) > DAY_SECONDS) throw new Error(`exp ${claims.exp} is more than 24 hours ahead`);
    if (!/^(mailto:|https:)/.test(String(claims.sub))) throw new Error(`sub ${claims.sub} is not a mailto: or https: URI`);
    // RFC 8030 section 5.2: TTL is required. RFC 8291 section 4: the aes128gcm content coding of RFC 8188, whose
    // header's keyid carries the application server's ephemeral public key.
    if (req.headers.ttl === undefined) throw new Error('no TTL header');
    if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`content-encoding ${req.headers['content-encoding']}`);
    const plaintext = decrypt(body, { version: 'aes128gcm', privateKey: userAgent, authSecret }).toString('utf8');
    return { headers: req.headers, claims, vapidKey, plaintext };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      check(req, Buffer.concat(chunks)).then(
        (message) => {
          const status = service.answers.shift() ?? 201;
          if (status === 201) service.messages.push(message);
          // RFC 8030 section 5: 201 Created with the message's Location.
          res.writeHead(status, status === 201 ? { location: `${service.origin}/message/${service.messages.length}` } : {}).end();
        },
        (error: Error) => {
          service.refused.push(error.message);
          res.writeHead(400).end(error.message);
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  service.subscription = {
    endpoint: `${service.origin}/push/${randomBytes(12).toString('base64url')}`,
    expirationTime: null,
    keys: { p256dh: userAgent.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
  };
  service.close = () => new Promise((resolve) => server.close(() => resolve()));
  return service;
}
