/**
 * Reads a body stream as UTF-8 text, cancelling it and throwing `tooLarge()` as soon as it passes `maxBytes`:
 * an oversized body is never buffered whole (request bodies on our side, provider answers on theirs).
 */
export async function readCappedText(body: ReadableStream<Uint8Array> | null, maxBytes: number, tooLarge: () => Error): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
