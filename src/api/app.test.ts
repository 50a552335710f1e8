import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { apiContextOf, createCore, type Core } from '../runtime/create-runtime.js';
import { buildApp } from './app.js';

const configFile = fileURLToPath(new URL('../../test/fixtures/plant.yaml', import.meta.url));
const PRESS = 'acme/plant-1/assembly/line-1/press-1';

describe('HTTP API (inject)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-api-'));
  let core: Core;
  let app: FastifyInstance;
  let admin: string;
  let operator: string;

  before(async () => {
    core = await createCore({ configFile, dataDir });
    app = await buildApp(apiContextOf(core));
    admin = `Bearer ${(await core.auth.createToken('ada', 'test')).token}`;
    operator = `Bearer ${(await core.auth.createToken('olga', 'test')).token}`;
  });
  after(async () => {
    await app.close();
    core.status.stop();
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes an OpenAPI document listing every route', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json() as { openapi: string; paths: Record<string, unknown> };
    assert.match(document.openapi, /^3\./);
    for (const path of ['/api/v1/events', '/api/v1/samples', '/api/v1/plant', '/api/v1/stream', '/api/v1/deadletters', '/api/v1/deadletters/{id}/replay', '/api/v1/crosswalk', '/healthz', '/metrics']) {
      assert.ok(path in document.paths, `${path} is in the OpenAPI document`);
    }
  });

  it('refuses to start with a route that declares no access (deny by default)', async () => {
    const { default: Fastify } = await import('fastify');
    const { installAccessControl } = await import('./access-hook.js');
    const bare = Fastify();
    installAccessControl(bare, core.auth);
    assert.throws(() => bare.get('/open', async () => 'oops'), /declares no access/);
    await bare.close();
  });

  it('answers unknown routes and invalid queries with documented codes', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v1/nothing', headers: { authorization: admin } });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'PF_ERR_NOT_FOUND');
    const invalid = await app.inject({ method: 'GET', url: '/api/v1/events?limit=0', headers: { authorization: admin } });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().error.code, 'PF_ERR_REQUEST_INVALID');
  });

  it('shows each machine\'s live status from the log, area-scoped', async () => {
    await core.status.start();
    const FORKLIFT = 'acme/plant-1/warehouse/forklift-1';
    const posted = await app.inject({
      method: 'POST', url: '/api/v1/events', headers: { authorization: admin },
      payload: [
        { type: 'work-order.operation.started', occurredAt: '2026-01-05T06:00:00Z', source: { system: 'mes' }, subject: { equipment: PRESS, workOrder: 'WO-9' } },
        { type: 'equipment.state.changed', occurredAt: '2026-01-05T06:01:00Z', source: { system: 'plc' }, subject: { equipment: PRESS }, data: { state: 'faulted', reason: 'jam' } },
        { type: 'equipment.state.changed', occurredAt: '2026-01-05T06:02:00Z', source: { system: 'plc' }, subject: { equipment: FORKLIFT }, data: { state: 'execute' } },
      ],
    });
    assert.equal(posted.statusCode, 200, posted.body);
    const all = (await app.inject({ url: '/api/v1/plant/status', headers: { authorization: admin } })).json() as { equipment: Array<{ equipment: string; state?: string; workOrder?: string; reason?: string }> };
    const press = all.equipment.find((status) => status.equipment === PRESS);
    assert.deepEqual([press?.state, press?.reason, press?.workOrder], ['faulted', 'jam', 'WO-9']);
    assert.ok(all.equipment.some((status) => status.equipment === FORKLIFT));
    const scoped = (await app.inject({ url: '/api/v1/plant/status', headers: { authorization: operator } })).json() as { equipment: Array<{ equipment: string }> };
    assert.deepEqual(scoped.equipment.map((status) => status.equipment), [PRESS], 'the assembly operator sees no warehouse machine');
  });

  it('writes samples and reads them raw and aggregated, area-checked', async () => {
    const samples = Array.from({ length: 10 }, (_, index) => ({ equipment: PRESS, signal: 'vibration-rms', ts: Date.UTC(2026, 0, 1) + index * 1000, value: index }));
    const written = await app.inject({ method: 'POST', url: '/api/v1/samples', headers: { authorization: admin }, payload: samples });
    assert.equal(written.statusCode, 200, written.body);
    assert.deepEqual(written.json(), { written: 10, duplicates: 0, rejected: [] });
    const from = new Date(Date.UTC(2026, 0, 1)).toISOString();
    const to = new Date(Date.UTC(2026, 0, 2)).toISOString();
    const raw = await app.inject({ method: 'GET', url: `/api/v1/samples?equipment=${PRESS}&signal=vibration-rms&from=${from}&to=${to}`, headers: { authorization: operator } });
    assert.equal(raw.json().points.length, 10);
    const buckets = await app.inject({ method: 'GET', url: `/api/v1/samples?equipment=${PRESS}&signal=vibration-rms&from=${from}&to=${to}&bucket=5000`, headers: { authorization: operator } });
    assert.deepEqual(buckets.json().buckets.map((bucket: { avg: number }) => bucket.avg), [2, 7]);
    const forklift = await app.inject({ method: 'GET', url: `/api/v1/samples?equipment=acme/plant-1/warehouse/forklift-1&signal=x&from=${from}&to=${to}`, headers: { authorization: operator } });
    assert.equal(forklift.statusCode, 403);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/samples', headers: { authorization: admin }, payload: [{ equipment: PRESS, signal: 's', ts: 1, value: 'high' }] });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'PF_ERR_INGEST_SCHEMA');
  });

  it('lists dead letters with raw bytes and replays them after the crosswalk learns the id', async () => {
    const event = { type: 'alarm.raised', occurredAt: '2026-01-01T07:00:00Z', source: { system: 'scada' }, subject: { equipment: 'SCADA-PRESS' }, data: { alarm: 'over-temp' } };
    const refused = await app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: admin, 'content-type': 'application/json' }, payload: JSON.stringify(event) });
    assert.equal(refused.json().error.code, 'PF_ERR_INGEST_UNKNOWN_ID');
    const list = await app.inject({ method: 'GET', url: '/api/v1/deadletters?status=open&stage=resolve', headers: { authorization: admin } });
    const entry = list.json().deadLetters.find((item: { rawPreview: string }) => item.rawPreview.includes('SCADA-PRESS'));
    assert.ok(entry, 'the dead letter is listed with a readable preview');
    assert.equal(Buffer.from(entry.rawBase64, 'base64').toString('utf8'), JSON.stringify(event));

    const tooEarly = await app.inject({ method: 'POST', url: `/api/v1/deadletters/${entry.id}/replay`, headers: { authorization: admin } });
    assert.equal(tooEarly.json().ok, false);
    const learnt = await app.inject({ method: 'POST', url: '/api/v1/crosswalk', headers: { authorization: admin }, payload: { kind: 'equipment', system: 'scada', externalId: 'SCADA-PRESS', canonical: PRESS } });
    assert.equal(learnt.statusCode, 201, learnt.body);
    const replayed = await app.inject({ method: 'POST', url: '/api/v1/deadletters/replay', headers: { authorization: admin }, payload: { stage: 'resolve' } });
    assert.equal(replayed.json().failed, 0);
    assert.ok(replayed.json().replayed >= 1);
    const after = await app.inject({ method: 'GET', url: `/api/v1/deadletters/${entry.id}`, headers: { authorization: admin } });
    assert.deepEqual([after.json().status, after.json().attempts], ['replayed', 2]);
    const operatorReplay = await app.inject({ method: 'POST', url: '/api/v1/deadletters/replay', headers: { authorization: operator }, payload: {} });
    assert.equal(operatorReplay.statusCode, 403);
  });

  it('exposes Prometheus metrics for ingest, dead letters and engines to authorised callers only', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
    assert.equal((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: operator } })).statusCode, 403);
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: admin } });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /text\/plain; version=0.0.4/);
    assert.match(response.body, /^pf_ingest_events_total\{result="rejected"\} \d+$/m);
    assert.match(response.body, /^pf_dead_letters\{status="open"\} \d+$/m);
    assert.match(response.body, /^pf_event_log_head \d+$/m);
    assert.match(response.body, /# TYPE pf_engine_lag_events gauge/);
  });

  it('logs in with a cookie session and logs out', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ada', password: 'nope' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error.code, 'PF_ERR_AUTH_FAILED');
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ada', password: 'demo-ada' } });
    const setCookie = String(login.headers['set-cookie']);
    assert.match(setCookie, /pf_session=[^;]+; HttpOnly; SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    assert.equal(me.json().id, 'ada');
    await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 401);
  });

  it('streams posted events over SSE, catching up from Last-Event-ID without gaps or repeats', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    const head = await core.stores.events.head();
    const post = (id: string) =>
      fetch(`${base}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: admin, 'content-type': 'application/json' },
        body: JSON.stringify({ id, type: 'equipment.state.changed', occurredAt: '2026-01-01T08:00:00Z', source: { system: 'mes' }, subject: { equipment: PRESS }, data: { state: 'execute' } }),
      });
    await post('sse-before');
    const controller = new AbortController();
    const response = await fetch(`${base}/api/v1/stream?type=equipment.`, { headers: { authorization: operator, 'last-event-id': String(head) }, signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = response.body!.getReader();
    const received: string[] = [];
    let buffer = '';
    let posted = false;
    while (received.length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      for (const match of buffer.matchAll(/^data: (.+)$/gm)) {
        const id = (JSON.parse(match[1]!) as { id: string }).id;
        if (!received.includes(id)) received.push(id);
      }
      if (!posted && received.includes('sse-before')) {
        posted = true;
        await post('sse-live');
      }
    }
    controller.abort();
    assert.deepEqual(received, ['sse-before', 'sse-live']);
  });
});
