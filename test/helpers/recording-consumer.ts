/**
 * A domain event consumer for child servers (`startChildServer(env, ['test/helpers/recording-consumer.ts'])`):
 * appends each event it handles to RECORDER_FILE, one JSON line each. With RECORDER_BLOCK=1 it writes a
 * `blocked` line instead and never returns: the relay is then stuck mid-dispatch, for a kill at that moment.
 */
import { appendFileSync } from 'node:fs';
import { registerConsumer } from '../../src/domain-events/consumers.js';

registerConsumer('test-recorder', () => ({
  name: 'test-recorder',
  handle: async (event) => {
    const file = process.env.RECORDER_FILE!;
    if (process.env.RECORDER_BLOCK === '1') {
      appendFileSync(file, JSON.stringify({ blocked: event.id }) + '\n');
      await new Promise(() => undefined);
    }
    appendFileSync(file, JSON.stringify({ id: event.id, type: event.type, sequence: event.sequence }) + '\n');
  },
}));
