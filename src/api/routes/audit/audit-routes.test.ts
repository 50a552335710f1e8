import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { AuditEntry } from '../../../core/audit.js';
import { apiContextOf, createCore, DATABASE_FILE, type Core } from '../../../runtime/create-runtime.js';
import { buildApp } from '../../app.js';

const configFile = fileURLToPath(new URL('../../../../test/fixtures/plant.yaml', import.meta.url));
/** Long before the test runs, so entries stamped by the store's clock (logins, users) never fall in range. */
const T0 = Date.UTC(2001, 0, 5, 6);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('audit API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-audit-api-'));
  let core: Core;
  let app: FastifyInstance;
  const auth: Record<string, string> = {};
  let commentedSeq = 0;

  before(async () => {
    core = await createCore({ configFile, dataDir });
    app = await buildApp(apiContextOf(core));
    await core.auth.addUser({ id: 'sue', name: 'Sue Area Supervisor', grants: [{ role: 'supervisor', areas: ['assembly'] }] });
    await core.auth.addUser({ id: 'pete', name: 'Pete Plant Supervisor', grants: [{ role: 'supervisor', areas: ['*'] }] });
    for (const user of ['ada', 'olga', 'sue', 'pete']) auth[user] = `Bearer ${(await core.auth.createToken(user, 'test')).token}`;
    const { audit } = await core.stores.operations.commit({
      audit: [
        { actor: 'mike', action: 'case.assigned', subject: { kind: 'case', id: 'c-1' }, reason: 'on shift', at: T0 },
        { actor: 'mike', action: 'case.commented', subject: { kind: 'case', id: 'c-1' }, data: { text: 'bearing, "hot"' }, at: T0 + 1000 },
        { actor: 'sam', action: 'case.acknowledged', subject: { kind: 'case', id: 'c-2' }, at: T0 + 2000 },
        { actor: 'system', action: 'notification.sent', subject: { kind: 'notification', id: 'k1' }, data: { channel: 'email' }, at: T0 + 3000 },
        { actor: 'mike', action: 'cases.reindexed', at: T0 + 4000 },
      ],
    });
    commentedSeq = audit[1]!.seq;
  });
  after(async () => {
    await app.close();
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (url: string, user = 'ada') => app.inject({ url, headers: { authorization: auth[user]! } });
  const entries = async (query: string): Promise<AuditEntry[]> => {
    const response = await get(`/api/v1/audit?${query}`);
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { entries: AuditEntry[] }).entries;
  };

  it('filters by actor, action prefix, subject and time, in ledger order', async () => {
    assert.deepEqual((await entries('actor=mike&action=case')).map((entry) => entry.action), ['case.assigned', 'case.commented'], 'case does not match cases.reindexed');
    assert.deepEqual((await entries('subjectKind=case&subjectId=c-2')).map((entry) => entry.actor), ['sam']);
    assert.deepEqual((await entries(`from=${iso(T0 + 1000)}&to=${iso(T0 + 3000)}`)).map((entry) => entry.action), ['case.commented', 'case.acknowledged']);
    assert.deepEqual((await entries('action=notification.sent&subjectKind=notification')).map((entry) => entry.data), [{ channel: 'email' }]);
  });

  it('pages with limit and next (afterSeq)', async () => {
    const first = (await get('/api/v1/audit?actor=mike&limit=2')).json() as { entries: AuditEntry[]; next: number | null };
    assert.deepEqual(first.entries.map((entry) => entry.action), ['case.assigned', 'case.commented']);
    assert.equal(first.next, first.entries[1]!.seq);
    const second = (await get(`/api/v1/audit?actor=mike&limit=2&afterSeq=${first.next}`)).json() as { entries: AuditEntry[]; next: number | null };
    assert.deepEqual([second.entries.map((entry) => entry.action), second.next], [['cases.reindexed'], null]);
    assert.equal((await get('/api/v1/audit?limit=0')).statusCode, 400);
  });

  it('exports JSON lines that parse back to the exact entries, and CSV with a header and one row per entry', async () => {
    const json = await entries('actor=mike');
    const jsonl = await get('/api/v1/audit?actor=mike&format=jsonl');
    assert.equal(jsonl.statusCode, 200);
    assert.match(String(jsonl.headers['content-type']), /^application\/x-ndjson/);
    assert.match(String(jsonl.headers['content-disposition']), /^attachment; filename="audit-.*\.jsonl"$/);
    const lines = jsonl.body.split('\n').filter((line) => line !== '');
    assert.deepEqual(lines.map((line) => JSON.parse(line) as AuditEntry), json);

    const csv = await get('/api/v1/audit?actor=mike&format=csv');
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const rows = csv.body.split('\r\n').filter((row) => row !== '');
    assert.equal(rows[0], 'seq,at,actor,action,subject_kind,subject_id,reason,data,prev_hash,hash');
    assert.equal(rows.length, 1 + json.length);
    assert.ok(rows[2]!.startsWith(`${json[1]!.seq},${json[1]!.at},mike,case.commented,case,c-1,,"{""text"":""bearing, \\""hot\\""""}",`), rows[2]);
    const limited = await get('/api/v1/audit?format=jsonl&limit=2');
    assert.equal(limited.body.split('\n').filter((line) => line !== '').length, 2);
  });

  it('needs a login, audit:read and a plant-wide grant; verification needs an admin', async () => {
    assert.equal((await app.inject({ url: '/api/v1/audit' })).statusCode, 401);
    const operator = await get('/api/v1/audit', 'olga');
    assert.deepEqual([operator.statusCode, operator.json().error.code], [403, 'PF_ERR_ACCESS_DENIED']);
    assert.equal((await get('/api/v1/audit', 'sue')).statusCode, 403, 'an area supervisor cannot read a ledger spanning every area');
    assert.equal((await get('/api/v1/audit?format=csv', 'sue')).statusCode, 403);
    assert.equal((await get('/api/v1/audit', 'pete')).statusCode, 200, 'a plant-wide supervisor can');
    assert.equal((await get('/api/v1/audit/verify', 'pete')).statusCode, 403);
    assert.equal((await app.inject({ url: '/api/v1/audit/verify' })).statusCode, 401);
  });

  it('verifies the untouched chain and names the first entry edited in the database', async () => {
    const intact = (await get('/api/v1/audit/verify')).json() as { ok: boolean; entries: number; head?: { seq: number } };
    const head = await core.stores.audit.head();
    assert.deepEqual([intact.ok, intact.entries, intact.head?.seq], [true, head.seq, head.seq]);
    const db = new Database(join(dataDir, DATABASE_FILE));
    try {
      db.prepare("UPDATE audit_ledger SET actor = 'mallory' WHERE seq = ?").run(commentedSeq);
    } finally {
      db.close();
    }
    const broken = (await get('/api/v1/audit/verify')).json() as { ok: boolean; brokenAt?: number; reason?: string };
    assert.deepEqual([broken.ok, broken.brokenAt], [false, commentedSeq]);
    assert.match(broken.reason ?? '', /altered/);
  });
});
