/**
 * Outbound webhooks: a signed JSON POST over node:http/https through agents this channel owns, so stopping it
 * closes every socket it opened (global fetch would keep its sockets in a process-wide pool a stopped dispatcher
 * cannot close), with a timeout covering the whole request.
 */
import http, { type ClientRequest } from 'node:http';
import https from 'node:https';
import type { NotificationRequest } from '../../core/notifications.js';
import type { WebhookTarget } from '../../core/notifications-config.js';
import type { DeliveryOutcome } from './delivery-plan.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './webhook-signature.js';

const DEFAULT_TIMEOUT_MS = 5_000;
/** Enough of a refusal's body to say why, not so much that a misbehaving receiver fills the ledger. */
const ERROR_BODY_BYTES = 300;

/** The JSON a receiver gets. */
export interface WebhookPayload {
  delivery: string;
  key: string;
  kind: string;
  severity: string;
  title: string;
  body: string;
  caseId?: string;
  /** When it happened (plant time), ISO 8601. */
  at: string;
  recipients: string[];
  data?: Record<string, unknown>;
}

/** The body posted for one delivery. */
export function webhookPayload(deliveryId: string, request: NotificationRequest): WebhookPayload {
  return {
    delivery: deliveryId,
    key: request.key,
    kind: request.kind,
    severity: request.severity,
    title: request.title,
    body: request.body,
    ...(request.caseId === undefined ? {} : { caseId: request.caseId }),
    at: new Date(request.at).toISOString(),
    recipients: [...request.recipients],
    ...(request.data === undefined ? {} : { data: request.data }),
  };
}

/** 408, 425, 429 and 5xx may pass later; other refusals (4xx, an unfollowed redirect) would be refused again. */
function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Posts signed notifications to webhooks; one per running dispatcher. */
export class WebhookChannel {
  readonly #env: (name: string) => string | undefined;
  readonly #httpAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  readonly #httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 4 });
  readonly #requests = new Set<ClientRequest>();

  /** @param env reads the secret named by each target's `secretEnv` */
  constructor(env: (name: string) => string | undefined) {
    this.#env = env;
  }

  /** Posts one signed notification; never throws, the outcome says what happened. */
  async post(target: WebhookTarget, deliveryId: string, request: NotificationRequest, attempt: number): Promise<DeliveryOutcome> {
    const secret = this.#env(target.secretEnv);
    if (secret === undefined || secret === '') {
      // Fail closed: an unsigned notification could be forged by anyone who learns the URL.
      return { ok: false, permanent: false, message: `webhook ${target.id}: environment variable ${target.secretEnv} is not set, so nothing can be signed` };
    }
    const body = JSON.stringify(webhookPayload(deliveryId, request));
    // Wall-clock seconds, not plant time: the receiver checks freshness against its own clock.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const url = new URL(target.url);
    const secure = url.protocol === 'https:';
    const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<DeliveryOutcome>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: DeliveryOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#requests.delete(outgoing);
        resolve(outcome);
      };
      const outgoing = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent: secure ? this.#httpsAgent : this.#httpAgent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'plantfabric-notifications',
            [DELIVERY_HEADER]: deliveryId,
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
            'x-plantfabric-attempt': String(attempt),
          },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const chunks: Buffer[] = [];
          let kept = 0;
          response.on('data', (chunk: Buffer) => {
            if (kept < ERROR_BODY_BYTES) chunks.push(chunk);
            kept += chunk.length;
          });
          response.on('error', (error) => finish({ ok: false, permanent: false, message: `webhook ${target.id} (${target.url}): ${error.message}` }));
          response.on('end', () => {
            if (status >= 200 && status < 300) return finish({ ok: true, detail: `${target.url} answered ${status}` });
            const text = Buffer.concat(chunks).toString('utf8').slice(0, ERROR_BODY_BYTES).trim();
            finish({ ok: false, permanent: !isTransientStatus(status), message: `webhook ${target.id} (${target.url}) answered ${status}${text === '' ? '' : `: ${text}`}` });
          });
        },
      );
      this.#requests.add(outgoing);
      // Real time, not plant time: a network timeout is about the receiver, not about the plant.
      timer = setTimeout(() => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      outgoing.on('error', (error) => finish({ ok: false, permanent: false, message: `webhook ${target.id} (${target.url}): ${error.message}` }));
      outgoing.end(body);
    });
  }

  /** Aborts requests in flight and closes every socket, idle keep-alive ones included. */
  close(): void {
    for (const outgoing of this.#requests) outgoing.destroy(new Error('the notification dispatcher stopped'));
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }
}
