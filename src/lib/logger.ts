/**
 * Structured JSON logs, one line per event. Callers pass only identifiers and outcomes: never secrets,
 * tokens, request bodies or health values.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Set per HTTP request, so every log line written while serving it names the request. */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const configured = process.env.LOG_LEVEL ?? 'info';
let threshold: number = configured === 'silent' ? Infinity : (ORDER[configured as Level] ?? ORDER.info);

export function setLogLevel(level: Level | 'silent'): void {
  threshold = level === 'silent' ? Infinity : ORDER[level];
}

function write(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < threshold) return;
  const requestId = requestScope.getStore()?.requestId;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...(requestId ? { requestId } : {}), ...fields });
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};
