import type { ChannelType } from './channel-types.js';

/** What a notification says, whatever the channel. */
export interface Notification {
  title: string;
  body: string;
  severity: 'info' | 'warning' | 'critical';
  category: string;
}

const COLORS = { info: 0x2f80ed, warning: 0xf2c94c, critical: 0xeb5757 } as const;
const NTFY_PRIORITY = { info: 3, warning: 4, critical: 5 } as const;

/** The JSON body each platform's incoming webhook takes (Slack Block Kit, Discord embeds, Teams Adaptive Card). */
export function channelBody(type: Exclude<ChannelType, 'webhook' | 'ntfy' | 'email' | 'webpush'>, note: Notification): unknown {
  switch (type) {
    case 'slack':
      return {
        text: `${note.title}: ${note.body}`,
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: note.title.slice(0, 150) } },
          { type: 'section', text: { type: 'mrkdwn', text: note.body } },
          { type: 'context', elements: [{ type: 'mrkdwn', text: `${note.severity} · ${note.category} · VitaSync` }] },
        ],
      };
    case 'discord':
      return {
        embeds: [
          {
            title: note.title.slice(0, 256),
            description: note.body.slice(0, 4096),
            color: COLORS[note.severity],
            footer: { text: `${note.severity} · ${note.category}` },
          },
        ],
      };
    case 'teams':
      return {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [
                { type: 'TextBlock', text: note.title, weight: 'Bolder', size: 'Medium', wrap: true },
                { type: 'TextBlock', text: note.body, wrap: true },
                { type: 'TextBlock', text: `${note.severity} · ${note.category}`, isSubtle: true, size: 'Small' },
              ],
            },
          },
        ],
      };
  }
}

/** ntfy's JSON publishing format (POST to the server root with the topic in the body). */
export function ntfyBody(topic: string, note: Notification): unknown {
  return { topic, title: note.title, message: note.body, priority: NTFY_PRIORITY[note.severity], tags: [note.category] };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

/** An email's subject and its two parts: plain text for every client, HTML for those that show it. */
export function emailMessage(note: Notification): { subject: string; text: string; html: string } {
  const subject = note.severity === 'info' ? note.title : `[${note.severity}] ${note.title}`;
  const footer = `${note.severity} · ${note.category} · VitaSync`;
  const color = `#${COLORS[note.severity].toString(16).padStart(6, '0')}`;
  return {
    subject: subject.replace(/[\r\n]+/g, ' ').slice(0, 200),
    text: `${note.title}\n\n${note.body}\n\n-- \n${footer}\n`,
    html: [
      '<!doctype html><html><body style="font-family:sans-serif">',
      `<h2 style="border-left:4px solid ${color};padding-left:8px">${escapeHtml(note.title)}</h2>`,
      `<p>${escapeHtml(note.body).replace(/\n/g, '<br>')}</p>`,
      `<p style="color:#888;font-size:small">${escapeHtml(footer)}</p>`,
      '</body></html>',
    ].join(''),
  };
}

/** The JSON a service worker receives in its `push` event (event.data.json()) to show with showNotification. */
export function pushPayload(note: Notification): { title: string; body: string; severity: Notification['severity']; category: string } {
  return { title: note.title, body: note.body, severity: note.severity, category: note.category };
}

/** A medication.reminder_due event's words: what to take, and when it was due (local time and day). */
export function doseReminderMessage(payload: { name: string; dosage: string | null; date: string; time: string }) {
  const what = payload.dosage ? `${payload.name} (${payload.dosage})` : payload.name;
  return { title: `Time for ${payload.name}`, body: `${what} is due at ${payload.time} on ${payload.date}.` };
}

/** A medication.dose_missed event's words: the dose had no log when its on-time window closed. */
export function missedDoseMessage(payload: { name: string; date: string; time: string; onTimeWindowMinutes: number }) {
  return {
    title: `Missed dose: ${payload.name}`,
    body: `The ${payload.time} dose of ${payload.date} was not logged within ${payload.onTimeWindowMinutes} minutes.`,
  };
}
