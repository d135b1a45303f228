/**
 * Test data factories (as in Outline's server/test/factories.ts): each test builds what it needs with readable
 * defaults and overrides only what it is about, over REST with a test server or through the services with a
 * service context. No test reads data another test made.
 */
export { asKey, overRest, type ApiClient, type Target } from './target.js';
export { unique } from './unique.js';
export { seeded } from './seeded.js';
export { after, A_DAY, milliseconds, type Duration } from './time.js';
export { aUser, type UserBody, type UserOverrides } from './users.js';
export { aKey, type KeyBody, type KeyOverrides } from './keys.js';
export { aConnection, type ConnectionMade } from './connections.js';
export { aSample, samples, pushSamples, type SampleBody, type SeriesOptions, type PushedSamples } from './samples.js';
export { anEvent, events, pushEvents, type EventBody, type EventOverrides, type PushedEvents } from './events.js';
export { atLocal, localDays } from './local-days.js';
