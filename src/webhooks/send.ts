import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhooksConfig } from '../config.js';
import { filteringAgent } from './address-policy.js';

/** The part of a receiver's answer kept in the delivery history. */
export const EXCERPT_BYTES = 1024;

export interface SendOutcome {
  /** null when no answer came. */
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

/**
 * One POST to a receiver: through the address-filtering agent, never following redirects (node:http does not),
 * within `timeoutMs` from the first byte sent to the last byte of the excerpt read, reading at most 1 KiB of the
 * answer. Never throws: every failure is an outcome the history records. The body is JSON unless `headers` names
 * another content-type (Web Push sends an encrypted octet stream; header names in lower case).
 */
export function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string | Buffer,
  config: Pick<WebhooksConfig, 'timeoutMs' | 'allowHttp' | 'allowedNetworks' | 'denyPublic'>,
): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<SendOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      agent: filteringAgent(url, config),
      headers: {
        'content-type': 'application/json',
        ...headers,
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'VitaSync-Webhooks/1.0',
      },
    });
    const timer = setTimeout(() => {
      finish({ statusCode: null, error: `no answer within ${config.timeoutMs} ms`, responseExcerpt: null });
      req.destroy();
    }, config.timeoutMs);
    req.on('error', (error) => finish({ statusCode: null, error: error.message, responseExcerpt: null }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
        finish({ statusCode: res.statusCode ?? null, error: null, responseExcerpt: excerpt || null });
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= EXCERPT_BYTES) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.end(body);
  });
}
