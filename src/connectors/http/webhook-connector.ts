/**
 * The webhook connector: one HTTP listener, one endpoint per sending system (ERP, MES, QMS, CMMS, WMS). A request is
 * authenticated on its raw bytes, decoded, mapped item by item and answered 202 only once the sink has accepted the
 * events (durable, or safely buffered), so a sender that saw 202 may forget the message. Each endpoint sets its own
 * `system` on the events it produces, so one listener can serve several systems and the crosswalk still resolves ids
 * per system.
 */
import { RetryTimer } from '../../core/backoff.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Connector, ConnectorContext } from '../../core/connector.js';
import { describeError, type ErrorCode } from '../../core/errors.js';
import { HealthTracker } from '../../core/health.js';
import { decodeJson } from '../../core/pipeline/decode.js';
import type { WebhookConfig, WebhookEndpoint } from './config.js';
import { itemsOf, mapItems } from './mapping.js';
import { verifyHmac, verifySharedSecret, type AuthOutcome } from './signature.js';

const encoder = new TextEncoder();

interface EndpointCounters {
  system: string;
  received: number;
  accepted: number;
  rejected: number;
  unauthorized: number;
}

/** Raised while reading a body that outgrows the limit. */
class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.pause();
        reject(new BodyTooLarge(`body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, body: unknown, close = false): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(text);
}

function failure(response: ServerResponse, status: number, code: ErrorCode, message: string, details?: unknown, close = false): void {
  reply(response, status, { error: { code, message, ...(details === undefined ? {} : { details }) } }, close);
}

/** Builds a webhook listener from its plant.yaml entry; `start()` resolves at once and keeps retrying a taken port. */
export function createWebhookConnector(config: WebhookConfig, context: ConnectorContext): Connector {
  const health = new HealthTracker(context.now);
  const retry = new RetryTimer(context.backoff({ initialMs: 500, maxMs: 30_000 }));
  const endpoints = new Map(config.endpoints.map((endpoint) => [endpoint.path, endpoint]));
  const counters = new Map<string, EndpointCounters>(
    config.endpoints.map((endpoint) => [endpoint.path, { system: endpoint.system ?? context.system, received: 0, accepted: 0, rejected: 0, unauthorized: 0 }]),
  );
  const listen = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  let server: Server | undefined;
  let stopped = true;
  let tooLarge = 0;

  const publishCounters = (extra: Record<string, unknown> = {}): void =>
    health.setDetails({ endpoints: Object.fromEntries(counters), tooLarge, ...extra });
  health.setDetails({ listen });
  publishCounters();

  /** Endpoints whose secret is not in the environment: they fail closed (401) and the connector says why. */
  function missingSecrets(): string[] {
    const missing: string[] = [];
    for (const endpoint of config.endpoints) {
      if (endpoint.secretEnv === undefined && endpoint.hmac === undefined) missing.push(`${endpoint.path}: no secretEnv or hmac configured`);
      for (const name of [endpoint.secretEnv, endpoint.hmac?.secretEnv]) {
        if (name !== undefined && !process.env[name]) missing.push(`${endpoint.path}: environment variable ${name} is not set`);
      }
    }
    return missing;
  }

  function authenticate(endpoint: WebhookEndpoint, request: IncomingMessage, body: Uint8Array): AuthOutcome {
    if (endpoint.secretEnv === undefined && endpoint.hmac === undefined) return { ok: false, reason: 'the endpoint has no secret configured' };
    const header = (name: string): string | undefined => {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    if (endpoint.secretEnv !== undefined) {
      const secret = process.env[endpoint.secretEnv];
      if (!secret) return { ok: false, reason: `environment variable ${endpoint.secretEnv} is not set` };
      const outcome = verifySharedSecret(header(endpoint.secretHeader), secret, endpoint.secretHeader);
      if (!outcome.ok) return outcome;
    }
    if (endpoint.hmac !== undefined) {
      const secret = process.env[endpoint.hmac.secretEnv];
      if (!secret) return { ok: false, reason: `environment variable ${endpoint.hmac.secretEnv} is not set` };
      return verifyHmac(body, header, secret, endpoint.hmac, context.now());
    }
    return { ok: true };
  }

  async function deadLetter(raw: Uint8Array, code: ErrorCode, message: string, endpoint: WebhookEndpoint, contentType: string, details?: Record<string, unknown>): Promise<void> {
    const system = counters.get(endpoint.path)?.system;
    await context.sink.deadLetter(raw, { code, message, address: endpoint.path, contentType, details: { system, ...details } });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = context.now();
    const path = new URL(request.url ?? '/', 'http://webhook').pathname;
    const endpoint = endpoints.get(path);
    if (endpoint === undefined) return failure(response, 404, 'PF_ERR_NOT_FOUND', `no webhook endpoint at ${path}`, undefined, true);
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return failure(response, 405, 'PF_ERR_REQUEST_INVALID', `${request.method ?? ''} is not allowed; webhooks are POSTed`, undefined, true);
    }
    const count = counters.get(path)!;
    const declared = Number(request.headers['content-length']);
    let body: Uint8Array;
    try {
      if (Number.isFinite(declared) && declared > config.bodyLimitBytes) throw new BodyTooLarge(`body of ${declared} bytes is larger than ${config.bodyLimitBytes}`);
      body = await readBody(request, config.bodyLimitBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      tooLarge += 1;
      publishCounters();
      // Closing the connection is the only way to stop a sender mid-body without reading the rest.
      return failure(response, 413, 'PF_ERR_REQUEST_INVALID', error.message, { limit: config.bodyLimitBytes }, true);
    }

    const auth = authenticate(endpoint, request, body);
    if (!auth.ok) {
      // Unauthenticated bytes are not evidence of anything but the attempt: counted, never kept.
      count.unauthorized += 1;
      publishCounters({ lastUnauthorized: { path, reason: auth.reason, at: new Date(receivedAt).toISOString() } });
      return failure(response, 401, 'PF_ERR_WEBHOOK_AUTH', `not authenticated: ${auth.reason}`);
    }
    count.received += 1;
    const contentType = request.headers['content-type'] ?? 'application/json';

    const decoded = decodeJson(body);
    if (!decoded.ok) {
      count.rejected += 1;
      publishCounters();
      await deadLetter(body, 'PF_ERR_INGEST_DECODE', `${path}: ${decoded.rejection.message}`, endpoint, contentType);
      return failure(response, 400, 'PF_ERR_INGEST_DECODE', decoded.rejection.message);
    }
    const items = itemsOf(decoded.value, endpoint.itemsPath);
    if (!items.ok) {
      count.rejected += 1;
      publishCounters();
      await deadLetter(body, items.code, `${path}: ${items.message}`, endpoint, contentType);
      return failure(response, 400, items.code, items.message);
    }
    const source = { system: count.system, connector: context.id, address: path };
    const { events, rejects } = mapItems(items.items, endpoint.mappings, { source, receivedAt });
    const reasons = rejects.map(({ index, message }) => ({ index, message }));
    count.rejected += rejects.length;
    if (events.length === 0 && rejects.length > 0) {
      publishCounters();
      const message = rejects.length === 1 ? rejects[0]!.message : `none of ${rejects.length} items could be mapped; first: ${rejects[0]!.message}`;
      await deadLetter(body, 'PF_ERR_INGEST_SCHEMA', `${path}: ${message}`, endpoint, contentType, { rejected: reasons });
      return failure(response, 400, 'PF_ERR_INGEST_SCHEMA', message, { rejected: reasons });
    }
    // Some items mapped: each refused one is kept on its own, so it can be looked at (and fixed) alone.
    for (const { index, item, message } of rejects) {
      await deadLetter(encoder.encode(JSON.stringify(item)), 'PF_ERR_INGEST_SCHEMA', `${path} item ${index}: ${message}`, endpoint, 'application/json', { index });
    }
    try {
      await context.sink.events(events);
    } catch (error) {
      publishCounters();
      context.log.error(`ingest failed: ${describeError(error)}`);
      return failure(response, 503, 'PF_ERR_INGEST_UNAVAILABLE', `events could not be accepted, retry later: ${describeError(error)}`);
    }
    count.accepted += events.length;
    publishCounters();
    reply(response, 202, { accepted: events.length, rejected: reasons });
  }

  function onRequest(request: IncomingMessage, response: ServerResponse): void {
    handle(request, response).catch((error: unknown) => {
      context.log.error(`webhook request failed: ${describeError(error)}`);
      failure(response, 500, 'PF_ERR_INTERNAL', 'internal error; the server log has the details');
    });
  }

  async function open(): Promise<void> {
    if (stopped) return;
    health.set('connecting');
    const candidate = createServer(onRequest);
    try {
      await new Promise<void>((resolve, reject) => {
        candidate.once('error', reject);
        candidate.listen(config.port, config.host, () => {
          candidate.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      if (stopped) return;
      health.set('disconnected', { message: `${listen}: ${describeError(error)}`, code: 'PF_ERR_PROTOCOL' });
      retry.schedule(() => void open());
      return;
    }
    if (stopped) {
      candidate.close();
      return;
    }
    server = candidate;
    server.on('error', (error) => context.log.error(`${listen}: ${describeError(error)}`));
    retry.succeeded();
    const missing = missingSecrets();
    if (missing.length > 0) health.set('degraded', { message: `refusing every request to ${missing.join('; ')}`, code: 'PF_ERR_CONFIG_INVALID' });
    else health.set('connected');
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      // Not awaited: a taken port must not hold up the plant's start; health shows the retries.
      void open();
    },

    async stop() {
      stopped = true;
      retry.cancel();
      const running = server;
      server = undefined;
      if (running !== undefined) {
        const closed = new Promise<void>((resolve) => running.close(() => resolve()));
        running.closeAllConnections();
        await closed;
      }
      if (health.state !== 'stopped') health.set('stopped');
    },

    health: () => health.get(),
  };
}
