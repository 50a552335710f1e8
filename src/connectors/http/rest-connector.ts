/**
 * The REST polling connector: one base URL, many polls, each on its own interval with a cursor. A round reads pages
 * while the last one was full (`limit`) or named a next cursor; each page's items are mapped and handed to the sink,
 * and only after the sink accepted them is the page's cursor written to disk. A restart therefore resumes at the
 * first page not yet accepted: nothing is lost, and nothing accepted is read twice (event ids are derived from content
 * anyway, so a re-read page would be harmless).
 *
 * No answer (refused, reset, timeout) or a 5xx retries with the shared backoff; a 4xx is a configuration problem and
 * is retried at the poll's own interval; a body that is not JSON is kept as a dead letter.
 */
import { createHash } from 'node:crypto';
import type { Connector, ConnectorContext } from '../../core/connector.js';
import { describeError } from '../../core/errors.js';
import { HealthTracker } from '../../core/health.js';
import { extractField } from '../../core/mapping.js';
import { decodeJson } from '../../core/pipeline/decode.js';
import type { RestConfig, RestPoll } from './config.js';
import { CursorStore } from './cursor-store.js';
import { itemsOf, mapItems } from './mapping.js';
import { HttpTransport, TransportError, type HttpResponse } from './transport.js';

const EXCERPT_CHARS = 200;
const encoder = new TextEncoder();

/** How a poll's last round went; the connector's health is the sum of these. */
type PollStatus = 'pending' | 'ok' | 'failing' | 'unreachable';

interface PollState {
  status: PollStatus;
  cursor?: string;
  lastPollAt?: string;
  items: number;
  /** Fingerprint of the last body dead-lettered, so a server that keeps answering garbage yields one dead letter. */
  lastDeadLetter?: string;
}

/** Builds `Authorization` from environment variables; a missing variable is a message, not a request without it. */
export function authHeaders(config: RestConfig, env: NodeJS.ProcessEnv): { ok: true; headers: Record<string, string> } | { ok: false; message: string } {
  const headers: Record<string, string> = { ...config.headers };
  if (config.bearerTokenEnv !== undefined) {
    const token = env[config.bearerTokenEnv];
    if (!token) return { ok: false, message: `environment variable ${config.bearerTokenEnv} (bearer token) is not set` };
    headers['authorization'] = `Bearer ${token}`;
  } else if (config.basic !== undefined) {
    const user = env[config.basic.usernameEnv];
    const password = env[config.basic.passwordEnv];
    if (!user || password === undefined) return { ok: false, message: `environment variables ${config.basic.usernameEnv} and ${config.basic.passwordEnv} must be set` };
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  }
  return { ok: true, headers };
}

/** The URL of one page: base + path, the poll's query, the page size and the cursor. */
export function pageUrl(baseUrl: string, poll: RestPoll, cursor: string | undefined): URL {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${poll.path}`);
  for (const [key, value] of Object.entries(poll.query ?? {})) url.searchParams.set(key, String(value));
  if (poll.limitParam !== undefined && poll.limit !== undefined) url.searchParams.set(poll.limitParam, String(poll.limit));
  if (poll.cursorParam !== undefined && cursor !== undefined) url.searchParams.set(poll.cursorParam, cursor);
  return url;
}

/** The cursor after a page: the response's next cursor, else the last item's cursor field; and whether more follow. */
export function advance(poll: RestPoll, body: unknown, items: readonly unknown[]): { cursor: string | undefined; more: boolean } {
  const scalar = (value: unknown): string | undefined =>
    (typeof value === 'string' && value !== '') || typeof value === 'number' ? String(value) : undefined;
  const fromResponse = poll.nextCursorField === undefined ? undefined : scalar(extractField(body, poll.nextCursorField));
  const fromItem = poll.cursorField === undefined || items.length === 0 ? undefined : scalar(extractField(items[items.length - 1], poll.cursorField));
  const full = poll.limit !== undefined && items.length >= poll.limit;
  return { cursor: fromResponse ?? fromItem, more: fromResponse !== undefined || full };
}

function excerpt(body: Uint8Array): string {
  const text = Buffer.from(body).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

/** Builds a REST poller from its plant.yaml entry; `start()` resolves at once and polls in the background. */
export function createRestConnector(config: RestConfig, context: ConnectorContext): Connector {
  const health = new HealthTracker(context.now);
  const cursors = new CursorStore(context.stateDir, context.now);
  const polls = new Map<string, PollState>(config.polls.map((poll) => [poll.id, { status: 'pending', items: 0 }]));
  const backoffs = new Map(config.polls.map((poll) => [poll.id, context.backoff({ initialMs: 500, maxMs: 60_000 })]));
  const timers = new Map<string, NodeJS.Timeout>();
  const rounds = new Set<Promise<void>>();
  let transport: HttpTransport | undefined;
  let headers: Record<string, string> = {};
  let stopped = true;

  health.setDetails({ baseUrl: config.baseUrl });
  const publish = (): void => health.setDetails({ polls: Object.fromEntries([...polls].map(([id, { lastDeadLetter: _, ...shown }]) => [id, shown])) });
  publish();

  /** Moves health to what the polls add up to, passing through `connecting` where the state machine requires it. */
  function refresh(error?: { message: string; code?: string }): void {
    const states = [...polls.values()].map((poll) => poll.status);
    const failing = states.filter((state) => state === 'failing' || state === 'unreachable');
    let target: 'connecting' | 'connected' | 'degraded' | 'disconnected' = states.includes('ok') ? 'connected' : 'connecting';
    if (failing.length > 0) target = !states.includes('ok') && failing.every((state) => state === 'unreachable') ? 'disconnected' : 'degraded';
    if (health.state === 'disconnected' && target === 'degraded') health.set('connecting');
    health.set(target, error);
    publish();
  }

  function mark(poll: RestPoll, status: PollStatus, error?: { message: string; code?: string }): void {
    polls.get(poll.id)!.status = status;
    refresh(error === undefined ? undefined : { ...error, message: `${poll.id}: ${error.message}` });
  }

  async function deadLetterOnce(poll: RestPoll, response: HttpResponse, code: string, message: string): Promise<void> {
    const state = polls.get(poll.id)!;
    const fingerprint = createHash('sha256').update(response.body).digest('hex');
    if (state.lastDeadLetter === fingerprint) return;
    await context.sink.deadLetter(response.body, { code, message, address: poll.path, contentType: response.contentType ?? 'application/octet-stream' });
    state.lastDeadLetter = fingerprint;
  }

  /** One round of a poll: pages until caught up; resolves with the delay before the next round. */
  async function round(poll: RestPoll): Promise<number> {
    const state = polls.get(poll.id)!;
    const backoff = backoffs.get(poll.id)!;
    const source = { system: poll.system ?? context.system, connector: context.id, address: poll.path };
    const http = transport;
    let cursor = cursors.get(poll.id) ?? poll.initialCursor;
    for (let page = 0; page < poll.maxPages && !stopped && http !== undefined; page += 1) {
      const url = pageUrl(config.baseUrl, poll, cursor);
      const where = `GET ${url.pathname}${url.search}`;
      let response: HttpResponse;
      try {
        response = await http.get(url, headers);
      } catch (error) {
        if (stopped) return poll.intervalMs;
        const reason = error instanceof TransportError ? error.reason : 'unreachable';
        mark(poll, reason === 'too-large' ? 'failing' : 'unreachable', { message: `${where}: ${describeError(error)}`, code: 'PF_ERR_PROTOCOL' });
        return backoff.next() ?? 60_000;
      }
      const receivedAt = context.now();
      state.lastPollAt = new Date(receivedAt).toISOString();
      if (response.status >= 500) {
        mark(poll, 'failing', { message: `${where} → ${response.status} ${response.statusText}: ${excerpt(response.body)}`, code: 'PF_ERR_PROTOCOL' });
        return backoff.next() ?? 60_000;
      }
      if (response.status < 200 || response.status >= 300) {
        // 4xx (and unexpected 1xx/3xx): the request itself is wrong, so hammering faster will not help.
        mark(poll, 'failing', { message: `${where} → ${response.status} ${response.statusText}: ${excerpt(response.body)}`, code: 'PF_ERR_PROTOCOL' });
        return poll.intervalMs;
      }
      const decoded = decodeJson(response.body);
      const items = decoded.ok ? itemsOf(decoded.value, poll.itemsPath) : undefined;
      if (!decoded.ok || items === undefined || !items.ok) {
        const code = decoded.ok ? 'PF_ERR_INGEST_SCHEMA' : decoded.rejection.code;
        const message = `${where}: ${decoded.ok ? (items?.ok === false ? items.message : '') : decoded.rejection.message}`;
        await deadLetterOnce(poll, response, code, message);
        mark(poll, 'failing', { message, code });
        return poll.intervalMs;
      }
      const { events, rejects } = mapItems(items.items, poll.mappings, { source, receivedAt });
      for (const { index, item, message } of rejects) {
        await context.sink.deadLetter(encoder.encode(JSON.stringify(item)), {
          code: 'PF_ERR_INGEST_SCHEMA',
          message: `${where} item ${index}: ${message}`,
          address: poll.path,
          contentType: 'application/json',
          details: { index, cursor },
        });
      }
      try {
        if (events.length > 0) await context.sink.events(events);
      } catch (error) {
        mark(poll, 'failing', { message: `ingest failed: ${describeError(error)}` });
        return poll.intervalMs;
      }
      const next = advance(poll, decoded.value, items.items);
      // Only now, with the page accepted, may the cursor move past it.
      if (next.cursor !== undefined && next.cursor !== cursor) await cursors.save(poll.id, next.cursor);
      state.items += items.items.length;
      state.lastDeadLetter = undefined;
      backoff.reset();
      const progressed = next.cursor !== undefined && next.cursor !== cursor;
      if (progressed) cursor = next.cursor;
      state.cursor = cursor;
      mark(poll, 'ok');
      // A full page whose cursor did not move would be fetched forever: stop and try again next round.
      if (!next.more || !progressed) break;
    }
    return poll.intervalMs;
  }

  function schedule(poll: RestPoll, delay: number): void {
    if (stopped) return;
    timers.set(
      poll.id,
      setTimeout(() => {
        timers.delete(poll.id);
        const running = round(poll)
          .catch((error: unknown) => {
            // Disk or dead-letter store failures: the cursor did not move, so the next round reads the page again.
            if (!stopped) mark(poll, 'failing', { message: describeError(error) });
            return poll.intervalMs;
          })
          .then((next) => schedule(poll, next));
        rounds.add(running);
        void running.finally(() => rounds.delete(running));
      }, delay),
    );
  }

  async function begin(): Promise<void> {
    try {
      await cursors.load();
    } catch (error) {
      // Polling without the saved position would re-read or skip history: refuse and say why.
      health.set('disconnected', { message: `cannot read the saved cursors: ${describeError(error)}`, code: 'PF_ERR_CONFIG_INVALID' });
      return;
    }
    for (const poll of config.polls) {
      const state = polls.get(poll.id)!;
      const cursor = cursors.get(poll.id) ?? poll.initialCursor;
      if (cursor !== undefined) state.cursor = cursor;
      schedule(poll, 0);
    }
    publish();
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      health.set('connecting');
      const auth = authHeaders(config, process.env);
      if (!auth.ok) {
        health.set('disconnected', { message: auth.message, code: 'PF_ERR_CONFIG_INVALID' });
        return;
      }
      headers = auth.headers;
      transport = new HttpTransport({ timeoutMs: config.timeoutMs, maxResponseBytes: config.maxResponseBytes });
      for (const state of polls.values()) state.status = 'pending';
      // Not awaited: a server that is down must not hold up the plant's start; health shows the retries.
      void begin();
    },

    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      transport?.close();
      transport = undefined;
      // A round that was handing a page to the sink finishes it (and saves its cursor) before stop resolves.
      await Promise.all([...rounds]);
      if (health.state !== 'stopped') health.set('stopped');
    },

    health: () => health.get(),
  };
}
