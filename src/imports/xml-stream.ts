import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { MalformedFile } from './import-record.js';

export interface XmlHandlers {
  open?(tag: SaxesTagPlain): void;
  close?(tag: SaxesTagPlain): void;
  text?(text: string): void;
}

/**
 * Streams XML through saxes: each chunk of the body is parsed as it arrives and what the handlers pushed to `out` is
 * yielded before the next chunk is read, so memory stays at a chunk's worth of records whatever the file's size.
 * Not well-formed XML fails with MalformedFile naming the line.
 */
export async function* streamXml<T>(body: AsyncIterable<Uint8Array>, handlers: (out: T[]) => XmlHandlers, what: string): AsyncGenerator<T> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const out: T[] = [];
  const on = handlers(out);
  if (on.open) parser.on('opentag', on.open);
  if (on.close) parser.on('closetag', on.close);
  if (on.text) parser.on('text', on.text);
  const decoder = new TextDecoder('utf-8');
  const fail = (error: unknown): never => {
    if (error instanceof MalformedFile) throw error;
    throw new MalformedFile(`${what} is not well-formed XML: ${(error as Error).message}`);
  };
  let sawAny = false;
  for await (const chunk of body) {
    try {
      parser.write(decoder.decode(chunk, { stream: true }));
    } catch (error) {
      fail(error);
    }
    sawAny = true;
    for (const item of out.splice(0)) yield item;
  }
  try {
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    fail(error);
  }
  if (!sawAny) throw new MalformedFile(`${what} is empty`);
  for (const item of out.splice(0)) yield item;
}
