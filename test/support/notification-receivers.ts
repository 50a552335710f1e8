/**
 * The far ends of notifications for integration tests: a real SMTP listener (smtp-server) and a real HTTP webhook
 * receiver that checks signatures with the documented verification function, both on loopback; and a plant clock
 * that moves only when the test says, so retry schedules are stepped through without timed assertions.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../../src/operations/notifications/webhook-signature.js';
import { freePort } from './brokers.js';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  raw: string;
}

export interface SmtpListener {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** An SMTP server on loopback that accepts every message (no TLS, no auth) and keeps it. */
export async function startSmtpListener(port?: number): Promise<SmtpListener> {
  const mails: ReceivedMail[] = [];
  const errors: Error[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    // Connections a pooled client keeps idle are told 421 and closed instead of holding close() for 30 s.
    closeTimeout: 100,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        mails.push({ from, to: session.envelope.rcptTo.map((address) => address.address), subject: /^Subject: (.*)$/im.exec(raw)?.[1]?.trim() ?? '', raw });
        callback();
      });
    },
  });
  // Client errors (a dispatcher aborting mid-dialogue) are expected in some tests; kept for inspection.
  server.on('error', (error: Error) => errors.push(error));
  const bound = port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    const listener = server.listen(bound, '127.0.0.1', () => resolve());
    listener.once('error', reject);
  });
  return { port: bound, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the signature verified with the documented function. */
  valid: boolean;
}

export interface WebhookReceiver {
  url: string;
  hooks: ReceivedHook[];
  /** The status to answer with (default 204). */
  answer(status: number): void;
  close(): Promise<void>;
}

/** An HTTP server on loopback that records each POST and whether its signature verifies with `secret`. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const hooks: ReceivedHook[] = [];
  let status = 204;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string): string | undefined => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      hooks.push({ headers: request.headers, body, valid: verifyWebhookSignature({ secret, body, signature: header(SIGNATURE_HEADER), timestamp: header(TIMESTAMP_HEADER) }) });
      response.statusCode = status;
      response.end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}/hooks/plantfabric`,
    hooks,
    answer(next) {
      status = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The manual plant clock lives in core (replays use it too). */
export { ManualClock } from '../../src/core/clock.js';
