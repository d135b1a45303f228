import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** RCPT TO and MAIL FROM of the SMTP envelope (what the server was asked to deliver, whatever the headers say). */
  envelope: { from: string; to: string[] };
  /** The message as mailparser reads it: headers, text and HTML parts. */
  parsed: ParsedMail;
}

export interface SmtpReceiver {
  /** smtp://user:password@127.0.0.1:<port>, as SMTP_URL takes it. */
  url: string;
  mails: ReceivedMail[];
  /** Recipients the server refuses with 550 at RCPT TO. */
  refuse: Set<string>;
  close(): Promise<void>;
}

const USER = 'vitasync';
const PASSWORD = 'smtp-test-password';

/**
 * A local SMTP server (the smtp-server package) that requires the login of its URL, stores every message parsed by
 * mailparser and refuses the recipients a test lists. Plain SMTP on loopback: no STARTTLS to negotiate.
 */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(new Error('535 authentication failed'));
    },
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address)) {
        const error = new Error(`mailbox ${address.address} unavailable`) as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      } else callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          mails.push({ envelope: { from, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) }, parsed });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${USER}:${PASSWORD}@127.0.0.1:${port}`,
    mails,
    refuse,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
