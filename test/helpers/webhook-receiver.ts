/**
 * A real HTTP server that receives webhook deliveries for the tests: it records every
 * request (headers and raw body) and answers with the status `respond` picks.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One delivery as the receiver saw it. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as sent (signatures cover these bytes). */
  body: string;
  /** The parsed body. */
  event: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:NNNNN/hooks` */
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** Chooses the status of the n-th request (1-based) received. Default: 200. */
  respond: (request: ReceivedWebhook, n: number) => number;
  /** Resolves when `predicate` holds on the received list; rejects after `timeoutMs` with what came. */
  waitFor(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/**
 * Starts a receiver on 127.0.0.1.
 * @param port a fixed port (to stop and start one again at the same URL), default any free port.
 */
export async function startReceiver(port = 0): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: '',
    port: 0,
    received: [],
    respond: () => 200,
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(receiver.received)) {
        if (Date.now() > deadline) {
          throw new Error(
            `the expected webhooks did not arrive within ${timeoutMs} ms; received: ${JSON.stringify(receiver.received.map((r) => r.event.type))}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return receiver.received;
    },
    close: async () => {},
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const webhook: ReceivedWebhook = {
        headers: request.headers,
        body,
        event: JSON.parse(body) as ReceivedWebhook['event'],
      };
      receiver.received.push(webhook);
      response.statusCode = receiver.respond(webhook, receiver.received.length);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hooks`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}
