import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/**
 * Sends a body chunk by chunk over node:http, as a client streaming a large file does, and resolves on the answer
 * even when the server answers before the body is sent (413) and closes the connection under it — which fetch
 * reports as a network error instead of the answer.
 */
export function rawUpload(
  url: string,
  options: { headers: Record<string, string>; chunks: Iterable<Buffer>; method?: string },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: options.method ?? 'POST', headers: options.headers });
    outgoing.on('response', (incoming) => {
      const parts: Buffer[] = [];
      incoming.on('data', (part: Buffer) => parts.push(part));
      incoming.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: kept as text.
        }
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body });
      });
    });
    let answered = false;
    outgoing.on('response', () => (answered = true));
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    void (async () => {
      for (const chunk of options.chunks) {
        if (answered || outgoing.destroyed) return;
        if (!outgoing.write(chunk))
          await new Promise<void>((done) => {
            const settle = () => {
              outgoing.off('drain', settle).off('close', settle);
              done();
            };
            outgoing.on('drain', settle).on('close', settle);
          });
      }
      outgoing.end();
    })();
  });
}
