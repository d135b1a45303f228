import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passes an upload through on its way to storage, counting and hashing it, and fails it the moment it passes the
 * limit — the storage then removes what it had written, so an oversized upload leaves nothing.
 */
export class UploadMeter extends Transform {
  bytes = 0;
  /** True once the upload passed the limit (the stream then failed). */
  exceeded = false;
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.exceeded = true;
      return done(new Error(`upload passed ${this.maxBytes} bytes`));
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  /** SHA-256 of everything that passed, hex; call once, after the stream ended. */
  sha256(): string {
    return this.hash.digest('hex');
  }
}
