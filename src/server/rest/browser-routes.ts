import { beginAuthorization, completeAuthorization, type FlowOutcome } from '../../connections/oauth-flow.js';
import type { RequestContext } from '../request-context.js';

function respond(outcome: FlowOutcome): Response {
  if ('redirect' in outcome) return new Response(null, { status: 302, headers: { location: outcome.redirect, 'cache-control': 'no-store' } });
  return Response.json(outcome.body, { status: outcome.status, headers: { 'cache-control': 'no-store' } });
}

/** The OAuth redirects a browser follows: no API key (the signed link or state carries the tenant). */
export async function serveBrowserRoute(kind: 'authorize' | 'callback', request: Request, ctx: RequestContext): Promise<Response> {
  const url = new URL(request.url);
  const providerId = decodeURIComponent(url.pathname.split('/')[3] ?? '');
  const { db, sql, clock, events, jobs, config, tokenKeys } = ctx;
  const platform = { db, sql, clock, events, jobs, config, tokenKeys };
  return respond(kind === 'authorize' ? await beginAuthorization(platform, providerId, url.searchParams.get('link')) : await completeAuthorization(platform, providerId, url.searchParams));
}
