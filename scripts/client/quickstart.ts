/**
 * The README's quick start, as a REST user's program: a client generated from the OpenAPI document
 * (openapi-typescript types, openapi-fetch calls) creates a user and lists users. scripts/client-check.sh
 * generates the types next to this file, type-checks it against them and runs it against a started server, so a
 * document that misleads the generators fails CI. VITASYNC_URL and VITASYNC_KEY say where and as whom.
 */
import createClient from 'openapi-fetch';
import type { paths } from './api.js';

const baseUrl = `${process.env.VITASYNC_URL ?? 'http://localhost:3000'}/v1`;
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${process.env.VITASYNC_KEY}` } });

function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`quick start: ${what}`);
}

const created = await client.POST('/users', { body: { externalId: 'app-user-42', timezone: 'Europe/London' } });
check(created.response.status === 201 && created.data, `POST /users answered ${created.response.status}: ${JSON.stringify(created.error)}`);
const user = created.data;
check(user.externalId === 'app-user-42' && user.timezone === 'Europe/London', `the created user is ${JSON.stringify(user)}`);

const found = await client.POST('/users', { body: { externalId: 'app-user-42' } });
check(found.response.status === 200 && found.data?.id === user.id, 'a repeated externalId finds the same user (200)');

const listed = await client.GET('/users', { params: { query: { limit: 50 } } });
check(listed.data, `GET /users answered ${listed.response.status}`);
check(
  listed.data.data.some((each) => each.id === user.id),
  'the list holds the created user',
);

const refused = await client.GET('/users', { params: { query: { limit: 501 } } });
check(refused.response.status === 400 && refused.error?.message.startsWith('query parameter limit'), 'limit 501 is refused in REST words');

console.log(`quick start: created user ${user.id}, found it again, listed ${listed.data.data.length} user(s), total ${listed.data.total}`);
