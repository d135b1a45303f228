/** How long an upload refused mid-way is still read (and discarded) so its client can read the answer. */
const LINGER_MS = 2000;

/**
 * A request body the upload reads, whose reader stopping early does not cancel it. An upload refused mid-way
 * (413, 404) is answered while its client is still sending; closing the connection at once would reset it, and
 * the client would lose the answer with the unread bytes (TCP discards both). So the rest is read and thrown away
 * for a moment — a lingering close, as HTTP servers do — and then the connection is closed.
 */
export function lingeringBody(body: ReadableStream<Uint8Array> | null): { chunks: AsyncIterable<Uint8Array>; linger(): void } {
  // Web streams are async-iterable in Node (native and @whatwg-node's alike); TypeScript's DOM types omit it.
  const source = (body ?? (async function* () {})()) as unknown as AsyncIterable<Uint8Array>;
  const iterator = source[Symbol.asyncIterator]();
  return {
    // No return(): a consumer that stops (a failed write to storage) leaves the body to linger() instead.
    chunks: { [Symbol.asyncIterator]: () => ({ next: () => iterator.next() }) },
    linger() {
      void (async () => {
        const until = Date.now() + LINGER_MS;
        try {
          while (Date.now() < until) if ((await iterator.next()).done) return;
        } catch {
          return;
        }
        await iterator.return?.().catch(() => undefined);
      })();
    },
  };
}
