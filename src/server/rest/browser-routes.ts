import { beginAuthorization, completeAuthorization, type FlowOutcome } from '../../connections/oauth-flow.js';
import { answerPushChallenge, answerPushHandshake, receivePush } from '../../connections/push.js';
import type { RequestContext } from '../request-context.js';
import { readRawBody } from './body.js';
import { serveDownload, serveUpload } from './file-routes.js';
import type { RestRoute } from './routes.js';

function respond(outcome: FlowOutcome): Response {
  if ('redirect' in outcome)
    return new Response(null, { status: 302, headers: { location: outcome.redirect, 'cache-control': 'no-store' } });
  return Response.json(outcome.body, { status: outcome.status, headers: { 'cache-control': 'no-store' } });
}

/**
 * Routes SOFA cannot serve: the OAuth redirects a browser follows (the signed link or state carries the tenant),
 * providers' push notifications (their own signatures authenticate them), and file bodies in and out (uploads with
 * the route's scope, downloads with a signed URL).
 */
export async function serveBrowserRoute(
  kind: NonNullable<RestRoute['browser']>,
  request: Request,
  ctx: RequestContext,
  maxPushBodyBytes: number,
): Promise<Response> {
  const url = new URL(request.url);
  const providerId = decodeURIComponent(url.pathname.split('/')[3] ?? '');
  const { db, sql, clock, jobs, config, tokenKeys } = ctx;
  const platform = { db, sql, clock, jobs, config, tokenKeys };
  switch (kind) {
    case 'upload':
      return serveUpload(request, ctx);
    case 'download':
      return serveDownload(request, ctx);
    case 'authorize':
      return respond(await beginAuthorization(platform, providerId, url.searchParams.get('link')));
    case 'callback':
      return respond(await completeAuthorization(platform, providerId, url.searchParams));
    case 'push': {
      const body = await readRawBody(request, maxPushBodyBytes);
      const pushRequest = { method: request.method, headers: request.headers, query: url.searchParams, body };
      const handshake = answerPushHandshake(platform, providerId, pushRequest);
      if (handshake)
        return new Response(handshake.body, {
          status: handshake.status,
          headers: { 'content-type': handshake.contentType ?? 'text/plain' },
        });
      const { syncs, status } = await receivePush(platform, providerId, pushRequest);
      return status === 204 ? new Response(null, { status }) : Response.json({ syncs }, { status });
    }
    case 'push-check': {
      const answer = answerPushChallenge(platform, providerId, {
        method: request.method,
        headers: request.headers,
        query: url.searchParams,
        body: '',
      });
      // A 204 (Fitbit's verification answer) may carry no body at all.
      return new Response(answer.status === 204 ? null : answer.body, {
        status: answer.status,
        headers: { 'content-type': answer.contentType ?? 'text/plain' },
      });
    }
  }
}
