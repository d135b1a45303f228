/** The part of http_ece (no published types) the push-service fake uses: RFC 8188 decryption with Web Push keys. */
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';
  export function decrypt(
    buffer: Buffer,
    params: { version: 'aes128gcm' | 'aesgcm'; privateKey: ECDH; authSecret: string | Buffer; dh?: string },
  ): Buffer;
}
