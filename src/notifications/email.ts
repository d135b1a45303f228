import { createTransport } from 'nodemailer';
import type { NotificationsConfig } from '../config.js';
import { emailMessage, type Notification } from './messages.js';
import type { ChannelOutcome } from './outcome.js';

type Smtp = NonNullable<NotificationsConfig['smtp']>;

/** The reply code at the head of an SMTP answer ("250 2.0.0 OK queued"), or null. */
const replyCode = (response: unknown) => {
  const match = /^(\d{3})\b/.exec(String(response ?? ''));
  return match ? Number(match[1]) : null;
};

/**
 * One email through the install's SMTP server (SMTP_URL: the operator's, never the caller's, so no address policy
 * applies). A transport per message keeps no idle connection between rare notifications; `timeoutMs` bounds each of
 * connecting, the greeting and every later read. Never throws: a failure is an outcome.
 */
export async function sendEmail(smtp: Smtp, timeoutMs: number, to: string, note: Notification): Promise<ChannelOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const transport = createTransport({
    url: smtp.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({ from: smtp.from, to, ...emailMessage(note) });
    const refused = info.rejected.length > 0;
    return {
      ok: !refused,
      statusCode: replyCode(info.response),
      durationMs: elapsed(),
      error: refused ? `the SMTP server refused the recipient: ${String(info.response).slice(0, 200)}` : null,
    };
  } catch (error) {
    const failure = error as Error & { responseCode?: number };
    return { ok: false, statusCode: failure.responseCode ?? null, durationMs: elapsed(), error: failure.message.slice(0, 500) };
  } finally {
    transport.close();
  }
}
