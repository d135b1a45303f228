import type { ServerResponse } from 'node:http';
import { startFakeServer, type FakeServer } from './fake-server.js';

/** What the receiver answers to one request: a status, optionally after a delay (longer than the timeout: no answer). */
export interface ReceiverAnswer {
  status: number;
  delayMs?: number;
  body?: string;
}

export interface WebhookReceiver extends FakeServer {
  /** The messages received, with the raw body and the Standard Webhooks headers, in arrival order. */
  messages(): { id: string; timestamp: string; signature: string; body: string; type: string }[];
  /** Answers to come, in order; when none is queued the receiver answers `fallback` (200 by default). */
  answers: ReceiverAnswer[];
  fallback: ReceiverAnswer;
}

/** A local receiver of webhook deliveries whose answers a test scripts (500 twice, then 200; a 410; a timeout). */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver = {} as WebhookReceiver;
  receiver.answers = [];
  receiver.fallback = { status: 200 };
  const server = await startFakeServer(async (_request, response: ServerResponse) => {
    const answer = receiver.answers.shift() ?? receiver.fallback;
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (!response.destroyed)
      response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? `answered ${answer.status}`);
  });
  return Object.assign(receiver, server, {
    messages: () =>
      server.requests.map((request) => ({
        id: String(request.headers['webhook-id']),
        timestamp: String(request.headers['webhook-timestamp']),
        signature: String(request.headers['webhook-signature']),
        body: request.body,
        type: (JSON.parse(request.body) as { type: string }).type,
      })),
  });
}
