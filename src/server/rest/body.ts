import { BadRequest, PayloadTooLarge, UnsupportedMediaType } from '../../lib/errors.js';
import { readCappedText } from '../../lib/read-capped.js';

/**
 * Reads a JSON request body within the size limit and checks it is a JSON object: the one parse of a write's body.
 * Returns the object ({} when there is no body).
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readCappedText(request.body, maxBytes, () => tooLarge(maxBytes));
  if (text.trim() === '') return {};
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new UnsupportedMediaType(`Content-Type must be application/json, got "${type || 'none'}"`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadRequest(`request body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadRequest('request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** A body as sent (push notifications are signed over their exact bytes), within the size limit. */
export async function readRawBody(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  return readCappedText(request.body, maxBytes, () => tooLarge(maxBytes));
}

function tooLarge(maxBytes: number): PayloadTooLarge {
  return new PayloadTooLarge(`request body exceeds the limit of ${maxBytes} bytes`);
}
