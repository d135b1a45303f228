import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchRoute, REST_BASE } from './rest/routes.js';

export interface BodyDeadlineOptions {
  /** A request's whole body must arrive within this (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** An upload's body instead must keep moving: this many bytes at least in every interval. */
  uploadProgress: { intervalMs: number; minBytesPerInterval: number };
}

/** Node's own answer to a request that is too slow (what its requestTimeout writes), then the connection closes. */
function cut(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  if (!res.headersSent && socket.writable) socket.write('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
  socket.destroy();
}

function isUpload(req: IncomingMessage): boolean {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (!path.startsWith(`${REST_BASE}/`)) return false;
  const match = matchRoute(req.method ?? 'GET', path.slice(REST_BASE.length));
  return match !== null && 'route' in match && match.route.browser === 'upload';
}

/**
 * Slow-loris protection for request bodies, in place of Node's requestTimeout (which would cut every 2 GB upload
 * that takes longer than it): a body must arrive whole within REQUEST_TIMEOUT_MS, except an upload's, which has no
 * overall deadline but must bring UPLOAD_MIN_BYTES_PER_INTERVAL every UPLOAD_PROGRESS_INTERVAL_SECONDS. Headers
 * stay under Node's headersTimeout. Progress is read from the socket's byte count, never from the body stream, so
 * the guard takes nothing from the handler reading it.
 */
export function guardRequestBody(req: IncomingMessage, res: ServerResponse, options: BodyDeadlineOptions): void {
  // A request without a body (most GETs) is complete once its headers are in.
  if (req.complete) return;
  let timer: NodeJS.Timeout;
  if (isUpload(req)) {
    const { intervalMs, minBytesPerInterval } = options.uploadProgress;
    let seen = req.socket.bytesRead;
    timer = setInterval(() => {
      if (req.complete) return clearInterval(timer);
      const read = req.socket.bytesRead;
      if (read - seen < minBytesPerInterval) cut(req, res);
      seen = read;
    }, intervalMs);
  } else {
    timer = setTimeout(() => req.complete || cut(req, res), options.requestTimeoutMs);
  }
  timer.unref();
  // A kept-alive socket carries many requests: each takes its listener off again, or they would pile up on it.
  const stop = () => {
    clearTimeout(timer);
    req.socket.off('close', stop);
  };
  req.once('end', stop);
  req.socket.once('close', stop);
}
