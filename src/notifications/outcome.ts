/** What one send on a channel came to, whatever the protocol: the log and the test route report it. */
export interface ChannelOutcome {
  ok: boolean;
  /** The platform's answer: an HTTP status, or the SMTP reply code for email; null when none came. */
  statusCode: number | null;
  durationMs: number;
  /** Why it failed, in words; null when it was sent. */
  error: string | null;
}
