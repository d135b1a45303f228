import { expect } from 'vitest';
import type { JobStatus } from '../../src/jobs/port.js';
import type { TestServer } from './server.js';

/**
 * Helpers for end-to-end tests that connect a user to a provider (through its fake server) and wait
 * for the background jobs that follow: shared so that every provider test drives the flow the same way.
 */

/** Where the provider tests' "app" wants the user back after a connect; allowed with `setRedirectUris`. */
export const APP_RETURN = 'http://localhost:4999/vitasync/done';

/** A job as `GET /v1/jobs/:jobId` answers it (dates as ISO strings, `result` and `progress` as free JSON). */
export interface JobBody {
  id: string;
  workflow: string;
  status: JobStatus;
  attempt: number;
  lastError: string | null;
  progress: any;
  result: any;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface WaitForJobOptions {
  /** The statuses that end the wait; by default a finished job, `completed` or `failed`. */
  until?: readonly JobStatus[];
  /** How many times to ask, 100 ms apart; 200 (about 20 s) unless the work is known to take longer. */
  attempts?: number;
  /**
   * Assert that every poll answers 200, failing at once when the job is unknown (a test that knows the
   * job exists). Off by default: a non-200 answer is just asked again, as for a job not started yet.
   */
  expectFound?: boolean;
}

/** Anything that makes REST calls as `TestServer.api` does: the server itself, or a wrapper that records responses. */
export type ApiClient = Pick<TestServer, 'api'>;

/**
 * Follows, as a browser would, the redirects from a connect link (consent at the fake provider, our
 * callback) until one lands on the app's return URL, and returns that URL with its status parameters.
 * Exists because fetch's own redirect following would go on to request the app URL, where nothing listens.
 */
export async function connectInBrowser(linkUrl: string, appReturnUrl: string = APP_RETURN): Promise<URL> {
  let url = linkUrl;
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (!location) throw new Error(`no redirect from ${url}: ${response.status} ${await response.text()}`);
    if (location.startsWith(appReturnUrl)) return new URL(location);
    url = location;
  }
  throw new Error('too many redirects');
}

/**
 * Creates a connect link for the user and provider, returning to `appReturnUrl`, and follows it in the
 * "browser": the whole connect flow most provider tests start with. Asserts the link was created (201)
 * unless `expectCreated: false`, for tests that only care where the flow ends.
 */
export async function connectUser(
  client: ApiClient,
  userId: string,
  providerId: string,
  options: { appReturnUrl?: string; expectCreated?: boolean } = {},
): Promise<URL> {
  const { appReturnUrl = APP_RETURN, expectCreated = true } = options;
  const link = await client.api('POST', `/v1/users/${userId}/connect-links`, { body: { providerId, redirectUri: appReturnUrl } });
  if (expectCreated) expect(link.status).toBe(201);
  return connectInBrowser(link.body.url, appReturnUrl);
}

/** Allows the given return URLs for connect links of the workspace; a link may only send the user back to one of them. */
export async function setRedirectUris(t: TestServer, uris: string[]): Promise<void> {
  const set = await t.graphql('mutation ($uris: [String!]!) { setRedirectUris(uris: $uris) { redirectUris } }', { uris });
  expect(set.body.errors).toBeUndefined();
}

/**
 * Polls `GET /v1/jobs/:jobId` until the job reaches one of `options.until` and returns it. Syncs run in
 * the background after the call that starts them answers, so a test must wait before it reads the results.
 */
export function waitForJob(t: TestServer, jobId: string, options: WaitForJobOptions = {}): Promise<JobBody> {
  return waitForAnyJob(t, [jobId], options);
}

/**
 * `waitForJob` for a job known only to be one of several ids, as push jobs named by the minute they
 * arrived in are: returns the first of them to reach one of the statuses.
 */
export async function waitForAnyJob(t: TestServer, jobIds: string[], options: WaitForJobOptions = {}): Promise<JobBody> {
  const { until = ['completed', 'failed'], attempts = 200, expectFound = false } = options;
  for (let i = 0; i < attempts; i++) {
    for (const id of jobIds) {
      const job = await t.api('GET', `/v1/jobs/${encodeURIComponent(id)}`);
      if (expectFound) expect(job.status).toBe(200);
      if (job.status === 200 && until.includes(job.body?.status)) return job.body as JobBody;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobIds.join(' or ')} did not reach ${until.join(' or ')}`);
}

/**
 * Reads `read()` every 100 ms, for up to `timeoutMs` (30 s), until `done` accepts the value, and returns it: for
 * effects that happen in the background (a sync a push started, a webhook delivery, a notification).
 */
export async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
