/**
 * The location engine and where-is on the real store: position reports through the ingest pipeline become zone
 * entries and exits with dwell, a forklift's walkway breach and a misplaced torque wrench tied to the order running
 * on the line where it lies; where-is answers from the log, survives a restart from its snapshot, and the API serves
 * it scoped to the caller's areas.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildApp } from '../../api/app.js';
import type { StoredEvent } from '../../core/event.js';
import type { TagWhereabouts } from '../../core/locations.js';
import { apiContextOf, createCore, type Core } from '../../runtime/create-runtime.js';

const LINE_1 = 'acme/plant-1/assembly/line-1';
const LINE_2 = 'acme/plant-1/assembly/line-2';
const LOGISTICS = 'acme/plant-1/logistics';
const at = (minute: number, second = 0): string => new Date(Date.UTC(2026, 0, 5, 5, minute, second)).toISOString();

// The demo hall's zones (docs/demo-plant.md, RTLS), as docs/locations.md configures them.
const PLANT = `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    timezone: UTC
    areas:
      - id: assembly
        lines:
          - { id: line-1, equipment: [{ id: press-1 }, { id: cnc-1 }] }
          - { id: line-2, equipment: [{ id: press-2 }, { id: assembly-2 }] }
      - id: logistics
        equipment: [{ id: forklift-1 }]
locations:
  misplacedAfterMinutes: 10
  hysteresisMeters: 0.5
  zones:
    - { id: warehouse, equipment: ${LOGISTICS}, rect: { x: [0, 25], y: [0, 50] } }
    - { id: line-1, equipment: ${LINE_1}, rect: { x: [40, 95], y: [4, 20] } }
    - { id: line-2, equipment: ${LINE_2}, rect: { x: [40, 95], y: [30, 46] } }
    - { id: line-1-crib, equipment: ${LINE_1}, rect: { x: [96, 104], y: [4, 12] } }
    - { id: walkway, polygon: [[25, 52], [120, 52], [120, 56], [25, 56]] }
  tags:
    - { id: torque-wrench-7, kind: tool, name: Torque wrench 7, home: line-1-crib, allowedZones: [line-1] }
    - { id: forklift-1, kind: forklift }
    - { id: cart-1, kind: cart }
  restricted:
    - { zone: walkway, kinds: [forklift] }
users:
  - { id: ada, name: Ada, grants: [{ role: admin, areas: ['*'] }] }
  - { id: lou, name: Lou, grants: [{ role: operator, areas: [logistics] }] }
`;

function position(tag: string, time: string, x: number, y: number) {
  return { type: 'location.position.reported', occurredAt: time, source: { system: 'rtls', connector: 'rtls' }, data: { tag, x, y, z: 1 } };
}
function operation(type: 'started' | 'completed', equipment: string, workOrder: string, time: string) {
  return { type: `work-order.operation.${type}`, occurredAt: time, source: { system: 'mes' }, subject: { equipment, workOrder } };
}

async function derived(core: Core, type: string): Promise<StoredEvent[]> {
  return core.stores.events.query({ types: [type] });
}

describe('location engine and where-is', () => {
  it('emits zone, breach and misplaced events with equipment, location and work order, and answers where-is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-location-'));
    writeFileSync(join(dir, 'plant.yaml'), PLANT);
    const open = () => createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir, now: () => Date.parse(at(40)) });
    let core = await open();
    try {
      await core.locations.start();
      await core.engines.start();
      const wrenchStill = Array.from({ length: 15 }, (_, index) => position('torque-wrench-7', at(6 + index), 72 + (index % 2) * 0.1, 38));
      await core.pipeline.ingestValue([
        operation('started', `${LINE_2}/press-2`, 'WO-20', at(0)),
        operation('started', `${LINE_2}/assembly-2`, 'WO-21', at(1)),
        operation('started', `${LINE_1}/press-1`, 'WO-10', at(2)),
        position('torque-wrench-7', at(0), 100, 8),
        position('forklift-1', at(0), 10, 10),
        position('cart-1', at(0), 30, 30),
        // The wrench is carried to line-2 and left there.
        position('torque-wrench-7', at(5), 72, 38),
        ...wrenchStill,
        // The forklift drives onto the walkway for 40 s.
        position('forklift-1', at(10), 45, 50),
        position('forklift-1', at(10, 5), 45, 54),
        position('forklift-1', at(10, 45), 45, 50),
        position('forklift-1', at(12), 10, 10),
      ]);
      await core.engines.waitForIdle();

      const entered = await derived(core, 'location.zone.entered');
      assert.deepEqual(entered.map((event) => `${event.data['tag']}>${event.data['zone']}`), [
        'torque-wrench-7>line-1-crib', 'forklift-1>warehouse', 'torque-wrench-7>line-2', 'forklift-1>walkway', 'forklift-1>warehouse',
      ]);
      assert.deepEqual(entered[2]!.subject, { equipment: LINE_2, location: 'line-2' });

      const exited = await derived(core, 'location.zone.exited');
      const walkwayExit = exited.find((event) => event.data['zone'] === 'walkway')!;
      assert.equal(walkwayExit.data['dwellSeconds'], 40);
      assert.equal(walkwayExit.occurredAt, at(10, 45));
      assert.equal(walkwayExit.data['restricted'], true);

      const [breach, ...moreBreaches] = await derived(core, 'location.restricted.entered');
      assert.equal(moreBreaches.length, 0);
      assert.deepEqual(breach!.subject, { location: 'walkway' });
      assert.equal(breach!.data['safety'], true);
      assert.equal(breach!.data['severity'], 'high');
      assert.equal(breach!.occurredAt, at(10, 5));
      assert.equal(breach!.source.connector, 'location');

      const [misplaced, ...moreMisplaced] = await derived(core, 'location.tag.misplaced');
      assert.equal(moreMisplaced.length, 0, 'once per episode');
      assert.equal(misplaced!.occurredAt, at(15));
      assert.deepEqual(misplaced!.subject, { equipment: LINE_2, location: 'line-2', workOrder: 'WO-21' });
      assert.equal(misplaced!.data['outsideSince'], at(5));
      assert.equal(misplaced!.data['runningOn'], `${LINE_2}/assembly-2`);

      const whereIs = (tag: string): TagWhereabouts => core.locations.whereIs({ tag })[0]!;
      assert.deepEqual(whereIs('torque-wrench-7'), {
        tag: 'torque-wrench-7', kind: 'tool', name: 'Torque wrench 7', home: 'line-1-crib',
        position: { x: 72, y: 38, z: 1 }, reportedAt: at(20),
        zone: 'line-2', since: at(5), equipment: LINE_2, zones: [{ zone: 'line-2', since: at(5) }],
        atHome: false, misplaced: { outsideSince: at(5), flaggedAt: at(15) },
      });
      assert.deepEqual(whereIs('cart-1').zones, [], 'between zones');
      assert.equal(whereIs('cart-1').zone, null);

      // Restart: where-is comes back from its snapshot and follows on; the engine rebuilds its state by replay.
      await core.close();
      core = await open();
      const snapshot = await core.stores.records.get<{ position: number }>('location', 'where-is');
      assert.ok(snapshot !== undefined && snapshot.position > 0, 'a snapshot was written at stop');
      await core.locations.start();
      await core.engines.start();
      assert.equal(whereIs('torque-wrench-7').misplaced?.flaggedAt, at(15));
      await core.pipeline.ingestValue(position('torque-wrench-7', at(30), 100, 8));
      await core.engines.waitForIdle();
      const [returned] = await derived(core, 'location.tag.returned');
      assert.deepEqual(returned!.subject, { equipment: LINE_1, location: 'line-1-crib' });
      assert.equal(returned!.data['awaySeconds'], 25 * 60);
      assert.equal(returned!.data['misplacedSeconds'], 15 * 60);
      assert.equal((await derived(core, 'location.tag.misplaced')).length, 1, 'the restart did not emit again');
      const home = whereIs('torque-wrench-7');
      assert.equal(home.zone, 'line-1-crib');
      assert.equal(home.atHome, true);
      assert.equal(home.misplaced, undefined);

      const app = await buildApp(apiContextOf(core), { webUi: false });
      try {
        const get = async (user: string, url: string) => {
          const token = `Bearer ${(await core.auth.createToken(user, 'where-is')).token}`;
          return app.inject({ url, headers: { authorization: token } });
        };
        const all = await get('ada', '/api/v1/locations');
        assert.equal(all.statusCode, 200, all.body);
        const body = all.json() as { now: string; tags: TagWhereabouts[] };
        assert.equal(body.now, at(40));
        assert.deepEqual(body.tags.map((tag) => [tag.tag, tag.zone]), [['cart-1', null], ['forklift-1', 'warehouse'], ['torque-wrench-7', 'line-1-crib']]);
        const forklifts = (await get('ada', '/api/v1/locations?kind=forklift')).json() as { tags: TagWhereabouts[] };
        assert.deepEqual(forklifts.tags.map((tag) => tag.tag), ['forklift-1']);
        const inCrib = (await get('ada', '/api/v1/locations?zone=line-1-crib')).json() as { tags: TagWhereabouts[] };
        assert.deepEqual(inCrib.tags.map((tag) => tag.tag), ['torque-wrench-7']);
        const one = await get('ada', '/api/v1/locations/torque-wrench-7');
        assert.equal(one.statusCode, 200, one.body);
        assert.equal((one.json() as TagWhereabouts).since, at(30));
        assert.equal((await get('ada', '/api/v1/locations/nope')).statusCode, 404);
        // Lou reads logistics only: the forklift in the warehouse and the cart in no zone, not the wrench on line 1.
        const scoped = (await get('lou', '/api/v1/locations')).json() as { tags: TagWhereabouts[] };
        assert.deepEqual(scoped.tags.map((tag) => tag.tag), ['cart-1', 'forklift-1']);
        assert.equal((await get('lou', '/api/v1/locations/torque-wrench-7')).statusCode, 404);
      } finally {
        await app.close();
      }
    } finally {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
