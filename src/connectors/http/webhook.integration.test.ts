/**
 * The webhook connector against real HTTP: plant systems POST to the running listener with valid and invalid
 * secrets and signatures, single objects, arrays and broken JSON; the events are read back from the event log with
 * their resolved subjects, refusals from the dead letters, and stop() leaves no socket or timer behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCore, type Core } from '../../runtime/create-runtime.js';
import { freePort } from '../../../test/support/brokers.js';
import { sign } from './signature.js';
import { resourceCounts, until } from '../../../test/support/wait.js';

const PRESS = 'acme/plant-1/assembly/line-1/press-1';
const ERP_SECRET_ENV = 'PF_TEST_WEBHOOK_ERP_HMAC';
const QMS_SECRET_ENV = 'PF_TEST_WEBHOOK_QMS_SECRET';
const ERP_SECRET = 'erp-hmac-secret-7f3a';
const QMS_SECRET = 'qms-shared-secret-19c2';
const BODY_LIMIT = 4096;

function plantYaml(port: number): string {
  return `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas:
      - id: assembly
        lines:
          - id: line-1
            equipment: [{ id: press-1 }]
materials:
  - { id: bracket-b100, unit: pcs }
crosswalk:
  - kind: equipment
    canonical: ${PRESS}
    ids: [{ system: erp, id: "10004711" }, { system: qms, id: PRESS-01 }]
  - kind: material
    canonical: bracket-b100
    ids: [{ system: erp, id: MAT-300100 }]
ingest:
  unknownIds: { equipment: reject, material: reject }
connectors:
  - id: plant-hooks
    kind: webhook
    port: ${port}
    bodyLimitBytes: ${BODY_LIMIT}
    endpoints:
      - path: /hooks/erp
        system: erp
        hmac: { secretEnv: ${ERP_SECRET_ENV}, prefix: "sha256=" }
        mappings:
          - eventType: work-order.released
            subject: { workOrder: orderNo, material: material, equipment: { path: workCenter, optional: true } }
            occurredAt: releasedAt
            data: { quantity: { path: qty, as: number }, dueAt: { path: due, as: timestamp, optional: true } }
      - path: /hooks/qms
        system: qms
        secretEnv: ${QMS_SECRET_ENV}
        itemsPath: messages
        mappings:
          - when: { field: kind, equals: NCR }
            eventType: quality.nonconformance.recorded
            subject: { lot: lot, equipment: machine }
            occurredAt: at
            data: { defect: defectCode, quantity: { path: count, as: number, optional: true } }
          - when: { field: kind, equals: HOLD }
            eventType: quality.hold.placed
            subject: { lot: lot }
            occurredAt: at
            data: { reason: text }
`;
}

interface Answer {
  status: number;
  body: { accepted?: number; rejected?: Array<{ index: number; message: string }>; error?: { code: string; message: string } };
}

describe('webhook connector', () => {
  let dir: string;
  let core: Core;
  let base: string;
  let before0: Record<string, number>;

  const post = async (path: string, body: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Answer['body']) };
  };
  const postErp = (body: string): Promise<Answer> => post('/hooks/erp', body, { 'x-signature-256': sign(Buffer.from(body), ERP_SECRET, { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }) });
  const postQms = (body: string): Promise<Answer> => post('/hooks/qms', body, { 'x-plantfabric-secret': QMS_SECRET });
  const health = () => core.connectors.status()[0]!.health;
  const deadLetters = () => core.stores.deadLetters.list({ stage: 'connector' });

  before(async () => {
    before0 = resourceCounts();
    process.env[ERP_SECRET_ENV] = ERP_SECRET;
    process.env[QMS_SECRET_ENV] = QMS_SECRET;
    dir = mkdtempSync(join(tmpdir(), 'pf-webhook-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'plant.yaml'), plantYaml(port));
    core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
    await core.connectors.start();
    await until('listening', () => health().state === 'connected');
  });

  after(async () => {
    await core?.close();
    delete process.env[ERP_SECRET_ENV];
    delete process.env[QMS_SECRET_ENV];
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a signed ERP order and stores work-order.released with crosswalk-resolved subject', async () => {
    const order = { orderNo: '4711', material: 'MAT-300100', workCenter: '10004711', qty: '50', due: '2026-03-05T14:00:00+01:00', releasedAt: '2026-03-01T07:59:00Z' };
    const answer = await postErp(JSON.stringify(order));
    assert.deepEqual(answer, { status: 202, body: { accepted: 1, rejected: [] } });
    // 202 came after the sink accepted the batch, so the event is already in the log.
    const [event] = await core.stores.events.query({ types: ['work-order.released'], workOrder: '4711' });
    assert.ok(event, 'event stored before the 202');
    assert.deepEqual(event.subject, { workOrder: '4711', material: 'bracket-b100', equipment: PRESS });
    assert.deepEqual(event.data, { quantity: 50, dueAt: '2026-03-05T13:00:00.000Z' });
    assert.equal(event.occurredAt, '2026-03-01T07:59:00.000Z');
    assert.deepEqual(event.source, { system: 'erp', connector: 'plant-hooks', address: '/hooks/erp' });
  });

  it('accepts an array payload as one batch', async () => {
    const orders = [4801, 4802, 4803].map((no, index) => ({ orderNo: no, material: 'MAT-300100', qty: 10 * (index + 1), releasedAt: `2026-03-02T0${index}:00:00Z` }));
    const answer = await postErp(JSON.stringify(orders));
    assert.deepEqual(answer, { status: 202, body: { accepted: 3, rejected: [] } });
    const events = await core.stores.events.query({ types: ['work-order.released'] });
    assert.deepEqual(events.filter((event) => event.subject.workOrder?.startsWith('48')).map((event) => [event.subject.workOrder, event.data['quantity']]), [['4801', 10], ['4802', 20], ['4803', 30]]);
  });

  it('serves several systems on one listener: QMS items under messages, picked by kind', async () => {
    const body = { messages: [
      { kind: 'NCR', lot: 'L-2026-07', machine: 'PRESS-01', defectCode: 'burr', count: '3', at: '2026-03-01T09:00:00Z' },
      { kind: 'HOLD', lot: 'L-2026-07', text: 'burr on edge', at: '2026-03-01T09:05:00Z' },
    ] };
    assert.deepEqual(await postQms(JSON.stringify(body)), { status: 202, body: { accepted: 2, rejected: [] } });
    const events = await core.stores.events.query({ lot: 'L-2026-07' });
    assert.deepEqual(events.map((event) => [event.type, event.source.system]), [['quality.nonconformance.recorded', 'qms'], ['quality.hold.placed', 'qms']]);
    assert.equal(events[0]!.subject.equipment, PRESS, 'the QMS machine id resolves through the crosswalk for system qms');
    assert.deepEqual(events[0]!.data, { defect: 'burr', quantity: 3 });
  });

  it('answers 401 to a wrong or missing secret or signature, and keeps no dead letter of it', async () => {
    const before = (await deadLetters()).length;
    const body = JSON.stringify({ orderNo: '9999', material: 'MAT-300100', qty: 1, releasedAt: '2026-03-01T00:00:00Z' });
    const forged = await post('/hooks/erp', body, { 'x-signature-256': sign(Buffer.from(body), 'guessed', { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }) });
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error?.code, 'PF_ERR_WEBHOOK_AUTH');
    assert.equal((await post('/hooks/erp', body)).status, 401);
    assert.equal((await post('/hooks/qms', JSON.stringify({ messages: [] }), { 'x-plantfabric-secret': 'nope' })).status, 401);
    assert.equal((await deadLetters()).length, before, 'unauthenticated junk is not kept');
    assert.deepEqual(await core.stores.events.query({ workOrder: '9999' }), []);
    const endpoints = health().details?.['endpoints'] as Record<string, { unauthorized: number }>;
    assert.equal(endpoints['/hooks/erp']!.unauthorized, 2);
    assert.equal(endpoints['/hooks/qms']!.unauthorized, 1);
    assert.equal(health().state, 'connected', 'refused requests are counted, not a connector fault');
  });

  it('answers 400 to malformed JSON and keeps the exact bytes as a dead letter', async () => {
    const broken = '{"orderNo": "4711", "qty": ';
    const answer = await postErp(broken);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error?.code, 'PF_ERR_INGEST_DECODE');
    const entry = (await deadLetters()).find((letter) => letter.code === 'PF_ERR_INGEST_DECODE');
    assert.equal(Buffer.from(entry!.raw).toString('utf8'), broken);
    assert.equal(entry!.source.address, '/hooks/erp');
    assert.deepEqual(entry!.details, { system: 'erp' });
  });

  it('answers 400 to a payload no mapping accepts, with the reason, and dead-letters it', async () => {
    const body = JSON.stringify({ messages: [{ kind: 'AUDIT', lot: 'L-1', at: '2026-03-01T00:00:00Z' }] });
    const answer = await postQms(body);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error?.code, 'PF_ERR_INGEST_SCHEMA');
    assert.match(answer.body.error!.message, /no mapping matched .*kind is "AUDIT"/);
    const entry = (await deadLetters()).find((letter) => letter.message.includes('AUDIT'));
    assert.equal(Buffer.from(entry!.raw).toString('utf8'), body);
    const missingQty = await postErp(JSON.stringify({ orderNo: '5000', material: 'MAT-300100', releasedAt: '2026-03-01T00:00:00Z' }));
    assert.equal(missingQty.status, 400);
    assert.match(missingQty.body.error!.message, /missing required field 'qty'/);
    const badTime = await postErp(JSON.stringify({ orderNo: '5001', material: 'MAT-300100', qty: 1, releasedAt: 'Monday' }));
    assert.match(badTime.body.error!.message, /unparsable timestamp "Monday"/);
  });

  it('accepts the good items of a mixed array and dead-letters the others one by one', async () => {
    const body = JSON.stringify([
      { orderNo: '6001', material: 'MAT-300100', qty: 5, releasedAt: '2026-03-03T00:00:00Z' },
      { orderNo: '6002', material: 'MAT-300100', qty: 'many', releasedAt: '2026-03-03T00:00:00Z' },
    ]);
    const answer = await postErp(body);
    assert.equal(answer.status, 202);
    assert.equal(answer.body.accepted, 1);
    assert.deepEqual(answer.body.rejected?.map((reject) => reject.index), [1]);
    assert.equal((await core.stores.events.query({ workOrder: '6001' })).length, 1);
    const entry = (await deadLetters()).find((letter) => letter.message.includes('item 1'));
    assert.equal(JSON.parse(Buffer.from(entry!.raw).toString('utf8')).orderNo, '6002');
  });

  it('answers 404 to an unknown path, 405 to a GET and 413 to a body over the limit', async () => {
    const unknown = await post('/hooks/plm', '{}');
    assert.deepEqual([unknown.status, unknown.body.error?.code], [404, 'PF_ERR_NOT_FOUND']);
    const get = await fetch(`${base}/hooks/erp`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    await get.text();
    const big = JSON.stringify({ orderNo: '7000', padding: 'x'.repeat(BODY_LIMIT) });
    const tooLarge = await postErp(big);
    assert.deepEqual([tooLarge.status, tooLarge.body.error?.code], [413, 'PF_ERR_REQUEST_INVALID']);
    assert.equal(health().details?.['tooLarge'], 1);
  });

  it('stops without leaving a socket or timer behind', async () => {
    await core.connectors.stop();
    assert.equal(health().state, 'stopped');
    await assert.rejects(fetch(`${base}/hooks/erp`, { method: 'POST', body: '{}' }), 'nothing listens after stop');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = resourceCounts();
    for (const kind of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout']) {
      assert.ok((now[kind] ?? 0) <= (before0[kind] ?? 0), `${kind}: ${now[kind] ?? 0} open after stop, ${before0[kind] ?? 0} before`);
    }
  });
});
