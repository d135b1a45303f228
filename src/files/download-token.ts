import { Forbidden, Unauthorized } from '../lib/errors.js';
import { signToken, verifyToken } from '../lib/signing.js';

/** What a download URL's token grants: one file of one workspace until `exp` (epoch milliseconds). */
interface DownloadClaims {
  f: string;
  w: string;
  exp: number;
}

const PURPOSE = 'file-download';

/** The token of a download URL: signed like connect links and cursors (src/lib/signing.ts), so it cannot be altered. */
export function signDownloadToken(fileId: string, workspaceId: string, expiresAt: Date): string {
  return signToken(PURPOSE, { f: fileId, w: workspaceId, exp: expiresAt.getTime() } satisfies DownloadClaims);
}

/**
 * The workspace a token grants `fileId` in. A missing, altered or other file's token is a 401 (it authenticates
 * nothing); a genuine one past its expiry is a 403 (it did, and no longer does).
 */
export function verifyDownloadToken(token: string | null, fileId: string, now: Date): { workspaceId: string } {
  const claims = token ? (verifyToken(PURPOSE, token) as DownloadClaims | null) : null;
  if (!claims || claims.f !== fileId || typeof claims.w !== 'string' || typeof claims.exp !== 'number') {
    throw new Unauthorized(`token is missing or invalid for file ${fileId}: take the downloadUrl of GET /v1/files/${fileId}`);
  }
  if (claims.exp <= now.getTime()) {
    throw new Forbidden(`token has expired: GET /v1/files/${fileId} gives a new downloadUrl`);
  }
  return { workspaceId: claims.w };
}
