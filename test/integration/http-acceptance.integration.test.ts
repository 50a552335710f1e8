/**
 * The foundation's acceptance over real HTTP and a real SQLite file: batch ingest in order, idempotent re-post,
 * every kind of bad input answered with a documented code and kept as a dead letter, replay after the crosswalk
 * learns an id (through the CLI), and authentication and area checks.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startRuntime, type Runtime } from '../../src/runtime/create-runtime.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const configFile = join(root, 'test/fixtures/plant.yaml');
const PRESS = 'acme/plant-1/assembly/line-1/press-1';
const FORKLIFT = 'acme/plant-1/warehouse/forklift-1';

interface ErrorBody {
  error: { code: string; message: string; details?: { rejected?: Array<{ deadLetterId: string }> } };
}

describe('HTTP ingest acceptance', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-http-'));
  let runtime: Runtime;
  let token: string;

  const api = async (path: string, init: RequestInit & { auth?: string | null } = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const auth = init.auth === undefined ? `Bearer ${token}` : init.auth;
    if (auth !== null) headers.set('authorization', auth);
    if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return fetch(runtime.url + path, { ...init, headers });
  };

  before(async () => {
    runtime = await startRuntime({ configFile, dataDir, port: 0 });
    token = (await runtime.auth.createToken('ada', 'acceptance')).token;
  });
  after(async () => {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads a 10,000-event batch back in order, and re-posting it adds nothing', async () => {
    const batch = Array.from({ length: 10_000 }, (_, index) => ({
      type: 'production.count.recorded',
      occurredAt: new Date(Date.UTC(2026, 10, 22, 6) + index * 100).toISOString(),
      source: { system: 'mes' },
      subject: { equipment: index % 2 === 0 ? PRESS : 'PRESS-01' },
      data: { good: 1, sequence: index },
    }));
    const first = await api('/api/v1/events', { method: 'POST', body: JSON.stringify(batch) });
    assert.equal(first.status, 200, await first.clone().text());
    const firstBody = (await first.json()) as { accepted: number; duplicates: number };
    assert.equal(firstBody.accepted, 10_000);

    const read: Array<{ position: number; subject: { equipment: string }; data: { sequence: number } }> = [];
    let after = 0;
    for (;;) {
      const page = await api(`/api/v1/events?type=production.count.recorded&after=${after}&limit=3000`);
      assert.equal(page.status, 200);
      const body = (await page.json()) as { events: typeof read; next: number | null };
      read.push(...body.events);
      if (body.next === null) break;
      after = body.next;
    }
    assert.equal(read.length, 10_000);
    read.forEach((event, index) => {
      assert.equal(event.data.sequence, index, 'read back in the order posted');
      assert.equal(event.subject.equipment, PRESS, 'the MES id was resolved through the crosswalk');
      if (index > 0) assert.equal(event.position, read[index - 1]!.position + 1, 'positions are gap-free');
    });

    const headBefore = await runtime.stores.events.head();
    const again = await api('/api/v1/events', { method: 'POST', body: JSON.stringify(batch) });
    assert.equal(again.status, 200);
    const againBody = (await again.json()) as { accepted: number; duplicates: number };
    assert.deepEqual([againBody.accepted, againBody.duplicates], [0, 10_000]);
    assert.equal(await runtime.stores.events.head(), headBefore);
  });

  it('answers malformed JSON, a schema violation and an unknown id with documented codes and dead letters', async () => {
    const cases: Array<[string, string]> = [
      ['{"type": "equipment.state.changed", ', 'PF_ERR_INGEST_DECODE'],
      [JSON.stringify({ type: 'equipment.state.changed', occurredAt: 'last tuesday', source: { system: 'mes' } }), 'PF_ERR_INGEST_SCHEMA'],
      [
        JSON.stringify({ type: 'equipment.state.changed', occurredAt: '2026-11-22T07:00:00Z', source: { system: 'plc' }, subject: { equipment: 'PLC7.PRESS' }, data: { state: 'faulted' } }),
        'PF_ERR_INGEST_UNKNOWN_ID',
      ],
    ];
    for (const [body, code] of cases) {
      const response = await api('/api/v1/events', { method: 'POST', body });
      assert.equal(response.status, 400, `${code}: ${await response.clone().text()}`);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const error = (await response.json()) as ErrorBody;
      assert.equal(error.error.code, code);
      const deadLetterId = error.error.details?.rejected?.[0]?.deadLetterId;
      assert.ok(deadLetterId, `${code} names its dead letter`);
      const entry = await runtime.stores.deadLetters.get(deadLetterId);
      assert.equal(entry?.code, code);
      assert.equal(Buffer.from(entry.raw).toString('utf8'), body, 'the raw bytes are kept exactly');
    }
  });

  it('ingests the unknown-id event with `deadletters replay` once the crosswalk learns the id', async () => {
    const cli = async (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', join(root, 'src/cli/run.ts'), ...args, '-c', configFile, '--data', dataDir], { cwd: root });
    await cli('crosswalk', 'add', '--system', 'plc', '--id', 'PLC7.PRESS', '--canonical', PRESS);
    const replay = await cli('deadletters', 'replay', '--stage', 'resolve');
    assert.match(replay.stdout, /1 replayed, 0 still failing/);
    const response = await api(`/api/v1/events?type=equipment.state.changed&equipment=${PRESS}`);
    const body = (await response.json()) as { events: Array<{ data: { state: string }; source: { system: string } }> };
    assert.deepEqual(body.events.map((event) => [event.source.system, event.data.state]), [['plc', 'faulted']]);
    const open = await runtime.stores.deadLetters.list({ status: 'open', stage: 'resolve' });
    assert.equal(open.length, 0);
  });

  it('refuses requests without credentials (401) and roles outside their area (403)', async () => {
    assert.equal((await api('/api/v1/events', { auth: null })).status, 401);
    assert.equal((await api('/api/v1/plant', { auth: 'Bearer pft_not-a-real-token' })).status, 401);

    const login = await api('/api/v1/auth/login', { auth: null, method: 'POST', body: JSON.stringify({ username: 'olga', password: 'demo-olga' }) });
    assert.equal(login.status, 200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    assert.match(cookie, /^pf_session=/);
    const asOlga = (path: string, init: RequestInit = {}) => api(path, { ...init, auth: null, headers: { cookie } });

    const own = { type: 'equipment.state.changed', occurredAt: '2026-11-22T08:00:00Z', source: { system: 'mes' }, subject: { equipment: PRESS }, data: { state: 'idle' } };
    assert.equal((await asOlga('/api/v1/events', { method: 'POST', body: JSON.stringify(own) })).status, 200);
    const foreign = { ...own, subject: { equipment: FORKLIFT } };
    const refused = await asOlga('/api/v1/events', { method: 'POST', body: JSON.stringify(foreign) });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as ErrorBody).error.code, 'PF_ERR_ACCESS_DENIED');
    assert.equal((await asOlga(`/api/v1/events?equipment=${FORKLIFT}`)).status, 403);
    assert.equal((await asOlga('/api/v1/deadletters')).status, 403, 'operators may not read dead letters');
  });
});
