/**
 * The context engine on the real SQLite core: a released routing across two machines, an operation started on the
 * first, a fault on it → the context names the running order and lot, the downstream operation with due date and
 * slack, the maintenance technician on shift for the area, and why it is urgent. The book is rebuilt from the log
 * after a restart, follows the log without gap or repeat while catching up, and the HTTP route is area-scoped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SignalContext } from '../../src/core/context.js';
import { InProcessEventBus } from '../../src/core/event-bus.js';
import type { CanonicalEvent, StoredEvent } from '../../src/core/event.js';
import type { EventLog } from '../../src/core/store.js';
import { buildApp } from '../../src/api/app.js';
import { LogFollower } from '../../src/operations/context/log-follower.js';
import { WORK_ORDER_EVENT_TYPES } from '../../src/operations/context/work-order-book.js';
import { apiContextOf, createCore, type Core } from '../../src/runtime/create-runtime.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';

const LINE = 'acme/plant-1/assembly/line-1';
const PRESS = `${LINE}/press-1`;
const WELD = `${LINE}/weld-1`;

const PLANT_YAML = `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    timezone: Europe/Berlin
    areas:
      - id: assembly
        lines:
          - id: line-1
            equipment:
              - { id: press-1, name: Press 1 }
              - { id: weld-1 }
      - id: warehouse
        equipment:
          - { id: forklift-1 }
crosswalk:
  - kind: equipment
    canonical: ${WELD}
    ids: [{ system: erp, id: WC-200 }]
shifts:
  - { id: early, start: "06:00", end: "14:00", days: [mon, tue, wed, thu, fri] }
  - { id: late, start: "14:00", end: "22:00", days: [mon, tue, wed, thu, fri] }
roster:
  - { shift: early, area: assembly, role: operator, users: [olga] }
  - { shift: early, area: assembly, role: maintenance, users: [mike] }
  - { shift: late, area: assembly, role: maintenance, users: [mara] }
  - { shift: early, area: warehouse, role: operator, users: [walt] }
users:
  - { id: ada, name: Ada Admin, grants: [{ role: admin, areas: ['*'] }] }
  - { id: olga, name: Olga Operator, grants: [{ role: operator, areas: [assembly] }] }
  - { id: mike, name: Mike Maintenance, grants: [{ role: maintenance, areas: [assembly] }] }
  - { id: mara, name: Mara Maintenance, grants: [{ role: maintenance, areas: [assembly] }] }
  - { id: walt, name: Walt Warehouse, grants: [{ role: operator, areas: [warehouse] }] }
`;

/** Monday 2026-01-05 at hh:mm UTC; Berlin is UTC+1, so 05:00–13:00 UTC is the early shift. */
const iso = (hour: number, minute = 0): string => new Date(Date.UTC(2026, 0, 5, hour, minute)).toISOString();

const erp = { system: 'erp' };
const mes = { system: 'mes' };
const releases = [
  {
    type: 'work-order.released', occurredAt: iso(6), source: erp, subject: { workOrder: 'WO-1', material: 'M-100' },
    // The ERP names the welder by its own work-center id; the book resolves it through the crosswalk.
    data: { quantity: 100, dueAt: iso(12), operations: [{ operation: '10', equipment: PRESS, minutes: 120 }, { operation: '20', equipment: 'WC-200', minutes: 60 }] },
  },
  {
    type: 'work-order.released', occurredAt: iso(6, 10), source: erp, subject: { workOrder: 'WO-2' },
    data: { quantity: 40, dueAt: iso(10), operations: [{ operation: '10', equipment: PRESS, minutes: 45 }, { operation: '20', equipment: 'WC-200', minutes: 30 }] },
  },
];
const started = { type: 'work-order.operation.started', occurredAt: iso(7), source: mes, subject: { workOrder: 'WO-1', operation: '10', equipment: PRESS, lot: 'L-4711' } };
const fault = { id: 'fault-1', type: 'equipment.state.changed', occurredAt: iso(7, 30), source: { system: 'plc' }, subject: { equipment: PRESS }, data: { state: 'faulted', previousState: 'execute' } };

function writePlant(dir: string): string {
  const file = join(dir, 'plant.yaml');
  writeFileSync(file, PLANT_YAML);
  return file;
}

async function ingest(core: Core, events: unknown[]): Promise<StoredEvent[]> {
  const outcome = await core.pipeline.ingestValue(events);
  assert.deepEqual(outcome.rejected, [], 'every event is accepted');
  return outcome.accepted;
}

describe('context engine on the real core', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-context-'));
  const configFile = writePlant(dir);
  let core: Core;

  before(async () => {
    core = await createCore({ configFile, dataDir: join(dir, 'data') });
  });
  after(async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let atFault: SignalContext;

  it('resolves a fault to the running order, its lot, the downstream operation with slack, the technician on shift and why it is urgent', async () => {
    await ingest(core, [...releases, started]);
    const [stored] = await ingest(core, [fault]);
    assert.equal(stored!.subject.workOrder, 'WO-1', 'the pipeline enriched the fault with its order');
    atFault = await core.context.resolve({ equipment: PRESS, at: Date.parse(stored!.occurredAt), severity: 'high', position: stored!.position });

    assert.deepEqual(atFault.equipment, { path: PRESS, name: 'Press 1', area: 'assembly', levels: { enterprise: 'acme', site: 'plant-1', area: 'assembly', line: 'line-1' } });
    assert.deepEqual(atFault.running, { workOrder: 'WO-1', operation: '10', lot: 'L-4711', material: 'M-100', since: iso(7), dueAt: iso(12), quantity: 100 });
    assert.deepEqual(atFault.lots, ['L-4711']);
    // WO-1 at 07:30: 270 min to 12:00 − (120 − 30 + 60) planned = 120; WO-2: 150 min to 10:00 − (45 + 30) = 75
    assert.deepEqual(atFault.orders, [
      { workOrder: 'WO-1', relation: 'running', operation: '10', equipment: PRESS, material: 'M-100', quantity: 100, dueAt: iso(12), slackMinutes: 120 },
      { workOrder: 'WO-1', relation: 'downstream', operation: '20', equipment: WELD, material: 'M-100', quantity: 100, dueAt: iso(12), slackMinutes: 120 },
      { workOrder: 'WO-2', relation: 'queued', operation: '10', equipment: PRESS, quantity: 40, dueAt: iso(10), slackMinutes: 75 },
    ]);
    assert.deepEqual(atFault.people, {
      shift: { id: 'early', start: iso(5), end: iso(13) },
      onShift: [{ userId: 'olga', role: 'operator' }, { userId: 'mike', role: 'maintenance' }],
    });
    assert.ok(atFault.people.onShift.some((person) => person.role === 'maintenance' && person.userId === 'mike'), 'the on-shift maintenance technician');
    // high 30 + slack round(25 × 405 / 480) = 21 + 2 orders 10 + running 10
    assert.equal(atFault.urgency.score, 71);
    assert.equal(atFault.urgency.level, 'high');
    assert.equal(atFault.urgency.explanation, 'Urgency 71 (high): high severity, least slack 75 min (WO-2), 2 orders affected and WO-1 running on this equipment.');
  });

  it('sees the queued orders from the downstream machine and the order that ran at a past instant', async () => {
    await ingest(core, [
      { type: 'work-order.operation.completed', occurredAt: iso(9), source: mes, subject: { workOrder: 'WO-1', operation: '10', equipment: PRESS } },
      { type: 'work-order.operation.started', occurredAt: iso(9, 5), source: mes, subject: { workOrder: 'WO-2', operation: '10', equipment: PRESS, lot: 'L-4712' } },
    ]);
    const past = await core.context.resolve({ equipment: PRESS, at: Date.parse(iso(7, 30)), severity: 'high' });
    assert.deepEqual(past, atFault, 'the same context as at the time of the fault');
    const now = await core.context.resolve({ equipment: 'press-1', at: Date.parse(iso(9, 10)) });
    assert.equal(now.running?.workOrder, 'WO-2');
    assert.equal(now.running?.lot, 'L-4712');
    const weld = await core.context.resolve({ equipment: 'WC-200', at: Date.parse(iso(9, 10)) });
    assert.equal(weld.equipment?.path, WELD, 'found by the ERP id through the crosswalk');
    assert.deepEqual(weld.orders.map((order) => [order.relation, order.workOrder, order.operation, order.slackMinutes]), [
      ['queued', 'WO-2', '20', -20],
      ['queued', 'WO-1', '20', 110],
    ]);
  });

  it('rebuilds the book from the log after a restart', async () => {
    await core.close();
    core = await createCore({ configFile, dataDir: join(dir, 'data') });
    assert.equal(core.context.book.size, 2);
    const past = await core.context.resolve({ equipment: PRESS, at: Date.parse(iso(7, 30)), severity: 'high' });
    assert.deepEqual(past, atFault);
  });

  it('answers GET /api/v1/context for the equipment\'s area only', async () => {
    const app = await buildApp(apiContextOf(core), { webUi: false });
    try {
      const bearer = async (user: string) => `Bearer ${(await core.auth.createToken(user, 'test')).token}`;
      const url = `/api/v1/context?equipment=${encodeURIComponent(PRESS)}&at=${encodeURIComponent(iso(7, 30))}&severity=high`;
      assert.equal((await app.inject({ method: 'GET', url })).statusCode, 401);
      const outside = await app.inject({ method: 'GET', url, headers: { authorization: await bearer('walt') } });
      assert.equal(outside.statusCode, 403);
      assert.equal(outside.json().error.code, 'PF_ERR_ACCESS_DENIED');
      const response = await app.inject({ method: 'GET', url, headers: { authorization: await bearer('mike') } });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), atFault);
      const safety = await app.inject({ method: 'GET', url: `${url}&safety=true`, headers: { authorization: await bearer('mike') } });
      assert.equal(safety.json().urgency.score, 100);
      const unknown = await app.inject({ method: 'GET', url: '/api/v1/context?equipment=acme/plant-1/assembly/line-1/nope', headers: { authorization: await bearer('ada') } });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().error.code, 'PF_ERR_NOT_FOUND');
      const invalid = await app.inject({ method: 'GET', url: `${url.replace('severity=high', 'severity=dire')}`, headers: { authorization: await bearer('ada') } });
      assert.equal(invalid.statusCode, 400);
      const openapi = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, unknown> };
      assert.ok('/api/v1/context' in openapi.paths);
    } finally {
      await app.close();
    }
  });
});

describe('log follower', () => {
  it('applies every work-order event exactly once while events arrive during the catch-up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-follow-'));
    const stores = openSqliteStores({ file: join(dir, 'follow.db') });
    const bus = new InProcessEventBus();
    try {
      let next = 0;
      const eventOf = (type: string): CanonicalEvent => {
        next += 1;
        const occurredAt = new Date(Date.UTC(2026, 0, 5, 6, 0, next)).toISOString();
        return { id: `e-${next}`, type, occurredAt, receivedAt: occurredAt, source: { system: 'mes' }, subject: { workOrder: `WO-${next}` }, data: { status: 'released' }, quality: 'good' };
      };
      const appendAndPublish = async (events: CanonicalEvent[]) => bus.publish((await stores.events.append(events)).appended);
      await appendAndPublish(Array.from({ length: 25 }, (_, index) => eventOf(index % 3 === 0 ? 'alarm.raised' : 'work-order.status.changed')));

      // The log as the follower sees it: before its 1st query and after its 2nd, more events land and are published,
      // so some arrive both by the catch-up and the bus, and some only by the bus.
      let queries = 0;
      const real = stores.events;
      const log: EventLog = {
        append: (events) => real.append(events),
        readFrom: (position, limit) => real.readFrom(position, limit),
        existingIds: (ids) => real.existingIds(ids),
        head: () => real.head(),
        subscribe: (listener) => real.subscribe(listener),
        async query(query) {
          queries += 1;
          if (queries === 1) await appendAndPublish([eventOf('work-order.status.changed'), eventOf('alarm.raised')]);
          const page = await real.query(query);
          if (queries === 2) await appendAndPublish([eventOf('work-order.status.changed'), eventOf('work-order.status.changed')]);
          return page;
        },
      };
      const applied: number[] = [];
      const follower = new LogFollower({ events: log, bus, types: WORK_ORDER_EVENT_TYPES, apply: (event) => applied.push(event.position), pageSize: 7 });
      await follower.start();
      await appendAndPublish([eventOf('work-order.status.changed')]);
      follower.stop();
      await appendAndPublish([eventOf('work-order.status.changed')]);

      const head = await stores.events.head();
      const expected = (await stores.events.query({ types: [...WORK_ORDER_EVENT_TYPES], limit: 1000 })).map((event) => event.position).filter((position) => position < head);
      assert.deepEqual(applied, expected, 'each work-order event once, in log order, none after stop');
      assert.ok(queries > 2, 'the catch-up paged');
      assert.equal(follower.seenPosition, head - 1);
    } finally {
      await bus.close();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
