/**
 * The camera system's output: each detection POSTed as JSON to the layer's webhook URL, signed with HMAC-SHA256
 * over the body (`x-signature-256: sha256=<hex>`, GitHub style). One request at a time, in order: a detection that
 * cannot be delivered (connection refused, 5xx, 429) is retried with backoff and everything behind it waits, so the
 * receiver sees the camera's order. A 4xx other than 429 will not get better by retrying: it is dropped and counted.
 */
import { createHmac } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Backoff } from '../../core/backoff.js';
import { describeError } from '../../core/errors.js';
import type { VisionUpdate } from '../model/types.js';

/** The header carrying the body's HMAC. */
export const SIGNATURE_HEADER = 'x-signature-256';

/** Where to post and how to sign. */
export interface VisionPosterOptions {
  url: string;
  /** HMAC secret; without one, requests go unsigned. */
  secret?: string;
  log?: (line: string) => void;
}

/** The JSON body of one detection. */
export function detectionBody(update: VisionUpdate): Record<string, unknown> {
  return {
    id: `${update.camera}-${update.serial}-${update.detection}`,
    camera: update.camera,
    equipment: update.equipment,
    detection: update.detection,
    ...(update.defect === undefined ? {} : { defect: update.defect }),
    confidence: update.confidence,
    serial: update.serial,
    workOrder: update.workOrder,
    ts: new Date(update.ts).toISOString(),
  };
}

/** The signature header value for a body. */
export function signBody(body: Uint8Array, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

type Outcome = { kind: 'delivered' } | { kind: 'retry'; reason: string } | { kind: 'rejected'; reason: string };

/** Posts camera findings to the webhook; see the module comment. */
export class VisionPoster {
  readonly #options: VisionPosterOptions;
  readonly #url: URL;
  readonly #queue: Uint8Array[] = [];
  readonly #backoff = new Backoff({ initialMs: 250, maxMs: 10_000 });
  #agent: Agent | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #running = false;
  #delivered = 0;
  #rejected = 0;
  #lastError: string | undefined;

  constructor(options: VisionPosterOptions) {
    this.#options = options;
    this.#url = new URL(options.url);
  }

  get running(): boolean {
    return this.#running;
  }

  get counts(): { pending: number; delivered: number; rejected: number } {
    return { pending: this.#queue.length, delivered: this.#delivered, rejected: this.#rejected };
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Queues a detection (kept while stopped; sent once running). */
  enqueue(update: VisionUpdate): void {
    this.#queue.push(Buffer.from(JSON.stringify(detectionBody(update)), 'utf8'));
    this.#pump();
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#agent = this.#url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new Agent({ keepAlive: true });
    this.#pump();
  }

  /** Stops sending (an open request is aborted and its detection stays queued); no timer or socket stays behind. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#agent?.destroy();
    this.#agent = undefined;
    await this.#inFlight;
  }

  #pump(): void {
    if (!this.#running || this.#inFlight !== undefined || this.#timer !== undefined || this.#queue.length === 0) return;
    const body = this.#queue[0]!;
    this.#inFlight = this.#post(body).then((outcome) => {
      this.#inFlight = undefined;
      if (outcome.kind === 'delivered' || outcome.kind === 'rejected') {
        if (this.#queue[0] === body) this.#queue.shift();
        this.#backoff.reset();
        if (outcome.kind === 'delivered') this.#delivered += 1;
        else this.#problem(`detection dropped: ${outcome.reason}`, () => (this.#rejected += 1));
        this.#pump();
        return;
      }
      if (!this.#running) return;
      const delay = this.#backoff.next() ?? 10_000;
      this.#problem(`${outcome.reason}; retrying in ${delay} ms`);
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#pump();
      }, delay);
    });
  }

  #problem(message: string, count?: () => void): void {
    count?.();
    this.#lastError = message;
    this.#options.log?.(`vision: ${message}`);
  }

  #post(body: Uint8Array): Promise<Outcome> {
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': body.length };
    if (this.#options.secret !== undefined) headers[SIGNATURE_HEADER] = signBody(body, this.#options.secret);
    const request = this.#url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = request(this.#url, { method: 'POST', headers, agent: this.#agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ kind: 'delivered' });
          else if (status === 429 || status >= 500) resolve({ kind: 'retry', reason: `${this.#url.href} answered ${status}` });
          else resolve({ kind: 'rejected', reason: `${this.#url.href} answered ${status}` });
        });
        res.on('error', (error) => resolve({ kind: 'retry', reason: describeError(error) }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from ${this.#url.href} in 10 s`)));
      req.on('error', (error) => resolve({ kind: 'retry', reason: `POST ${this.#url.href}: ${describeError(error)}` }));
      req.end(body);
    });
  }
}
