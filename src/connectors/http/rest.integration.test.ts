/**
 * The REST polling connector against a real HTTP server started here: paged JSON with a `since` cursor, a restart of
 * the whole core in the middle of paging (resumes at the saved cursor: no loss, no duplicates, no page read twice),
 * a 500 and a refused connection (health degraded / disconnected, then recovery), a 4xx with its body in lastError,
 * a body that is not JSON (dead letter), and a stop that leaves no socket or timer behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createCore, type Core } from '../../runtime/create-runtime.js';
import { freePort } from '../../../test/support/brokers.js';
import { CURSOR_FILE } from './cursor-store.js';
import { resourceCounts, until } from '../../../test/support/wait.js';

const TOKEN_ENV = 'PF_TEST_REST_TOKEN';
const TOKEN = 'rest-token-5d1e';
const T0 = Date.UTC(2026, 2, 1, 6);
const PAGE = 10;

interface Order {
  orderNo: string;
  material: string;
  qty: number;
  updatedAt: string;
}

const orderAt = (n: number): Order => ({ orderNo: `WO-${1000 + n}`, material: 'MAT-300100', qty: n, updatedAt: new Date(T0 + n * 60_000).toISOString() });

/** A small ERP: GET /api/orders?plant=1000&since=<ISO>&limit=<n>, items after `since` in update order. */
class FakeErp {
  orders: Order[] = [];
  /** Every `since` asked for, in order (undefined for the first request without a cursor). */
  readonly requests: Array<string | undefined> = [];
  mode: 'ok' | 'fail-500' | 'not-found' | 'html' = 'ok';
  /** Requests for this cursor wait until `release()`. */
  holdSince: string | undefined;
  held = false;
  #release: (() => void) | undefined;
  #server: Server | undefined;

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    const server = createServer((request, response) => void this.#handle(request, response));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  release(): void {
    this.holdSince = undefined;
    this.#release?.();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.on('error', () => undefined);
    const url = new URL(request.url ?? '/', 'http://erp');
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return void response.writeHead(401).end('{"error":"token"}');
    if (url.pathname !== '/api/orders' || url.searchParams.get('plant') !== '1000') return void response.writeHead(404).end('no such list');
    const since = url.searchParams.get('since') ?? undefined;
    this.requests.push(since);
    if (this.holdSince !== undefined && since === this.holdSince) {
      this.held = true;
      await new Promise<void>((resolve) => (this.#release = resolve));
    }
    if (this.mode === 'fail-500') return void response.writeHead(500, { 'content-type': 'text/plain' }).end('database is restarting');
    if (this.mode === 'not-found') return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"plant 1000 is not licensed"}');
    if (this.mode === 'html') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance window</html>');
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const items = this.orders.filter((order) => since === undefined || order.updatedAt > since).slice(0, limit);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items }));
  }
}

function plantYaml(port: number): string {
  return `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas: [{ id: assembly, lines: [{ id: line-1, equipment: [{ id: press-1 }] }] }]
materials: [{ id: bracket-b100, unit: pcs }]
crosswalk:
  - { kind: material, canonical: bracket-b100, ids: [{ system: erp, id: MAT-300100 }] }
ingest:
  unknownIds: { material: reject }
connectors:
  - id: erp-orders
    kind: rest
    system: erp
    baseUrl: http://127.0.0.1:${port}/
    bearerTokenEnv: ${TOKEN_ENV}
    timeoutMs: 2000
    polls:
      - id: released-orders
        path: /api/orders
        query: { plant: 1000 }
        intervalMs: 100
        itemsPath: items
        limitParam: limit
        limit: ${PAGE}
        cursorParam: since
        cursorField: updatedAt
        mappings:
          - eventType: work-order.released
            subject: { workOrder: orderNo, material: material }
            occurredAt: updatedAt
            data: { quantity: qty }
`;
}

describe('REST polling connector', () => {
  it('pages with a cursor, resumes after a restart without loss or duplicates, and recovers from server failures', async () => {
    const before = resourceCounts();
    process.env[TOKEN_ENV] = TOKEN;
    const erp = new FakeErp(await freePort());
    await erp.start();
    const dir = mkdtempSync(join(tmpdir(), 'pf-rest-'));
    const configFile = join(dir, 'plant.yaml');
    writeFileSync(configFile, plantYaml(erp.port));
    let core: Core | undefined;
    const released = async (): Promise<string[]> =>
      (await core!.stores.events.query({ types: ['work-order.released'], limit: 1000 })).map((event) => event.subject.workOrder ?? '');
    const health = () => core!.connectors.status()[0]!.health;
    const expected = (count: number) => Array.from({ length: count }, (_, index) => orderAt(index + 1).orderNo);
    try {
      erp.orders = Array.from({ length: 25 }, (_, index) => orderAt(index + 1));
      // The second page waits at the server, so the core can be stopped in the middle of paging.
      erp.holdSince = orderAt(PAGE).updatedAt;
      core = await createCore({ configFile, dataDir: dir });
      await core.connectors.start();
      await until('first page stored', async () => (await released()).length === PAGE);
      await until('second page requested', () => erp.held);
      assert.equal(health().state, 'connected');
      const saved = JSON.parse(readFileSync(join(dir, 'connectors', 'erp-orders', CURSOR_FILE), 'utf8')) as Record<string, { cursor: string }>;
      assert.equal(saved['released-orders']?.cursor, orderAt(PAGE).updatedAt, 'the cursor is saved once the page is accepted');
      const [first] = await core.stores.events.query({ types: ['work-order.released'], workOrder: 'WO-1001' });
      assert.deepEqual(first?.subject, { workOrder: 'WO-1001', material: 'bracket-b100' });
      assert.deepEqual([first?.occurredAt, first?.data, first?.source], [orderAt(1).updatedAt, { quantity: 1 }, { system: 'erp', connector: 'erp-orders', address: '/api/orders' }]);

      await core.close();
      erp.release();
      const requestsBeforeRestart = erp.requests.length;
      core = await createCore({ configFile, dataDir: dir });
      await core.connectors.start();
      await until('all 25 orders', async () => (await released()).length === 25);
      assert.deepEqual((await released()).sort(), expected(25), 'every order once: no loss, no duplicate');
      assert.equal(erp.requests[requestsBeforeRestart], orderAt(PAGE).updatedAt, 'the restarted core resumes at the saved cursor');
      assert.ok(!erp.requests.slice(requestsBeforeRestart).includes(undefined), 'no request starts over from the beginning');

      erp.mode = 'fail-500';
      await until('degraded on 500', () => health().state === 'degraded');
      assert.match(health().lastError?.message ?? '', /released-orders: GET \/api\/orders\?plant=1000&limit=10&since=.* → 500 Internal Server Error: database is restarting/);
      erp.orders.push(orderAt(26), orderAt(27));
      erp.mode = 'ok';
      await until('recovered after 500', async () => health().state === 'connected' && (await released()).length === 27);

      await erp.stop();
      await until('disconnected while refused', () => health().state === 'disconnected');
      assert.match(health().lastError?.message ?? '', /ECONNREFUSED/);
      erp.orders.push(orderAt(28));
      await erp.start();
      await until('recovered after refusal', async () => health().state === 'connected' && (await released()).length === 28);

      erp.mode = 'not-found';
      await until('4xx reported', () => health().state === 'degraded' && /404/.test(health().lastError?.message ?? ''));
      assert.match(health().lastError!.message, /404 Not Found: \{"message":"plant 1000 is not licensed"\}/);
      erp.mode = 'html';
      const letter = await until('non-JSON body dead-lettered', async () => (await core!.stores.deadLetters.list({ stage: 'connector' })).find((entry) => entry.code === 'PF_ERR_INGEST_DECODE'));
      assert.equal(Buffer.from(letter.raw).toString('utf8'), '<html>maintenance window</html>');
      assert.equal(letter.contentType, 'text/html');
      assert.equal(letter.source.address, '/api/orders');
      erp.mode = 'ok';
      await until('healthy again', () => health().state === 'connected');
      assert.equal((await core.stores.deadLetters.list({ stage: 'connector' })).length, 1, 'the same bad body is kept once, not once per poll');
      assert.deepEqual((await released()).sort(), expected(28));
    } finally {
      await core?.close();
      await erp.stop();
      delete process.env[TOKEN_ENV];
      rmSync(dir, { recursive: true, force: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = resourceCounts();
    for (const kind of ['TCPSocketWrap', 'TCPServerWrap', 'Timeout']) {
      assert.ok((after[kind] ?? 0) <= (before[kind] ?? 0), `${kind}: ${after[kind] ?? 0} open after stop, ${before[kind] ?? 0} before`);
    }
  });
});
