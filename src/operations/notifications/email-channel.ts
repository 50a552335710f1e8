/**
 * Email over SMTP (nodemailer, pooled): one transport per running dispatcher, closed on stop with every send it
 * still had aborted, so a stopped dispatcher leaves no socket or idle timer behind.
 */
import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import type { NotificationRequest } from '../../core/notifications.js';
import type { EmailConfig } from '../../core/notifications-config.js';
import type { DeliveryOutcome } from './delivery-plan.js';

const DEFAULT_TIMEOUT_MS = 10_000;

type Transport = ReturnType<typeof createTransport>;

/** The fields of a nodemailer error this channel reads. */
interface SmtpFailure {
  message?: string;
  code?: string;
  responseCode?: number;
  permanent?: boolean;
}

function failureOf(error: unknown): SmtpFailure {
  return typeof error === 'object' && error !== null ? (error as SmtpFailure) : { message: String(error) };
}

/** A Message-ID derived from the delivery id: a resend after a crash carries the same one, so mail clients fold it. */
export function messageIdOf(deliveryId: string): string {
  return `<${createHash('sha256').update(deliveryId).digest('hex').slice(0, 32)}@plantfabric>`;
}

/** The plain-text body: what happened, then the facts a reader needs to find it. */
export function emailText(request: NotificationRequest): string {
  const lines = [request.body, '', `Severity: ${request.severity}`, `Kind: ${request.kind}`];
  if (request.caseId !== undefined) lines.push(`Case: ${request.caseId}`);
  lines.push(`Time: ${new Date(request.at).toISOString()}`, '', '-- Sent by Plantfabric. Change what you receive in your notification preferences.');
  return lines.join('\n');
}

/** Sends notification emails through one pooled SMTP transport. */
export class EmailChannel {
  readonly #config: EmailConfig;
  readonly #transport: Transport;
  readonly #sending = new Set<AbortController>();

  /** @param password the SMTP password read from `smtp.passwordEnv`, if any */
  constructor(config: EmailConfig, password: string | undefined) {
    this.#config = config;
    const timeout = config.smtp.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#transport = createTransport({
      pool: true,
      maxConnections: 2,
      // Our own outbox retries with backoff; the pool must not retry behind its back.
      maxRequeues: 0,
      host: config.smtp.host,
      port: config.smtp.port,
      secure: config.smtp.secure ?? false,
      requireTLS: config.smtp.requireTls ?? false,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      ...(config.smtp.username === undefined ? {} : { auth: { user: config.smtp.username, ...(password === undefined ? {} : { pass: password }) } }),
    });
  }

  /** Sends one notification to one address; never throws, the outcome says what happened. */
  async send(deliveryId: string, request: NotificationRequest, address: string): Promise<DeliveryOutcome> {
    const abort = new AbortController();
    this.#sending.add(abort);
    const prefix = this.#config.subjectPrefix;
    try {
      await this.#transport.sendMail({
        from: this.#config.from,
        to: address,
        subject: prefix === undefined || prefix === '' ? request.title : `${prefix} ${request.title}`,
        text: emailText(request),
        messageId: messageIdOf(deliveryId),
        headers: { 'X-Plantfabric-Key': request.key, 'X-Plantfabric-Kind': request.kind, 'X-Plantfabric-Severity': request.severity },
        signal: abort.signal,
      });
      return { ok: true, detail: `accepted by ${this.#config.smtp.host}:${this.#config.smtp.port}` };
    } catch (error) {
      const failure = failureOf(error);
      const reply = failure.responseCode === undefined ? failure.code ?? 'no reply' : `reply ${failure.responseCode}`;
      return {
        ok: false,
        // A 5xx reply (other than 503) refuses this message for good; anything else may pass on a later try.
        permanent: failure.permanent === true,
        message: `SMTP ${this.#config.smtp.host}:${this.#config.smtp.port} (${reply}): ${failure.message ?? String(error)}`,
      };
    } finally {
      this.#sending.delete(abort);
    }
  }

  /** Aborts sends in progress and closes the pool's connections. */
  close(): void {
    for (const abort of this.#sending) abort.abort();
    this.#transport.close();
  }
}
