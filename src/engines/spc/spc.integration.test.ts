/**
 * The SPC engine and query on the real store: measurements go in through the pipeline, the engine establishes limits
 * per machine and emits each violation episode once, the query computed from the log shows the same violations, the
 * API serves the chart to readers of the area only, a reading in the wrong unit is dead-lettered with the reason, and
 * after a restart the rebuilt state does not repeat an episode that was already reported.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildApp } from '../../api/app.js';
import { apiContextOf, createCore, type Core } from '../../runtime/create-runtime.js';

const LINE = 'acme/plant-1/assembly/line-1';
const TEST_1 = `${LINE}/test-1`;
const TEST_2 = `${LINE}/test-2`;
const T0 = Date.UTC(2026, 0, 5, 6);
const at = (minute: number): string => new Date(T0 + minute * 60_000).toISOString();

const PLANT = `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    timezone: UTC
    areas:
      - id: assembly
        lines: [{ id: line-1, equipment: [{ id: test-1 }, { id: test-2 }] }]
      - id: warehouse
        equipment: [{ id: forklift-1 }]
spc:
  characteristics:
    - id: bore
      equipment: ${LINE}
      characteristic: bore-diameter
      unit: mm
      lsl: 9.4
      usl: 10.6
      target: 10
      chart: i-mr
      baseline: { samples: 8 }
users:
  - { id: ada, name: Ada, grants: [{ role: admin, areas: ['*'] }] }
  - { id: quinn, name: Quinn, grants: [{ role: quality, areas: [assembly] }] }
  - { id: walt, name: Walt, grants: [{ role: operator, areas: [warehouse] }] }
`;

function measurement(equipment: string, minute: number, value: number, unit = 'mm') {
  return {
    type: 'quality.measurement.recorded',
    occurredAt: at(minute),
    source: { system: 'mes' },
    subject: { equipment, workOrder: `WO-${100 + Math.floor(minute / 10)}` },
    data: { characteristic: 'bore-diameter', value, unit },
  };
}

/** The hand-computed baseline (control-limits.test.ts): x̄ = 10.05, MR̄ = 1.7/7, UCL 10.6959, MR UCL 0.7934. */
const BASELINE = [10.0, 10.2, 9.9, 10.1, 10.3, 9.8, 10.0, 10.1];

async function derived(core: Core, type: string) {
  return core.stores.events.query({ types: [type], limit: 1000 });
}

describe('SPC engine and query', () => {
  it('establishes limits, reports each episode once, agrees with the query, and serves the chart by area', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-spc-'));
    writeFileSync(join(dir, 'plant.yaml'), PLANT);
    const open = () => createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir, now: () => T0 + 24 * 3_600_000 });
    let core = await open();
    try {
      await core.engines.start();
      await core.pipeline.ingestValue([
        ...BASELINE.map((value, index) => measurement(TEST_1, index, value)),
        ...BASELINE.map((value, index) => measurement(TEST_2, index, value + 0.001)),
        // Beyond the UCL: rule 1 on the individuals chart.
        measurement(TEST_1, 8, 10.8),
        // A mapping fault: the same characteristic in inches.
        measurement(TEST_1, 9, 0.4, 'in'),
      ]);
      await core.engines.waitForIdle();
      const limits = await derived(core, 'spc.limits.established');
      assert.deepEqual(limits.map((event) => event.subject.equipment).sort(), [TEST_1, TEST_2]);
      assert.ok(Math.abs(Number((limits[0]!.data['location'] as { ucl: number }).ucl) - 10.6958966565) < 1e-9);
      let violations = await derived(core, 'spc.rule.violated');
      assert.deepEqual(violations.map((event) => [event.subject.equipment, event.data['ruleNumber'], event.data['chart'], event.subject.workOrder]), [[TEST_1, 1, 'i', 'WO-100']]);
      const deadLetters = await core.stores.deadLetters.list({ limit: 10 });
      const refused = deadLetters.find((entry) => entry.engineId === 'spc');
      assert.match(refused?.message ?? '', /arrived in 'in'.*charted in 'mm'/, 'the wrong unit is dead-lettered with the reason');
    } finally {
      await core.close();
    }

    // After a restart the engine rebuilds its charts from the log: 10.85 continues the open rule-1 episode (nothing new
    // for rule 1) and, with 10.8, makes two of three beyond 2σ (rule 5, new); 10.0 after it makes a moving range of
    // 0.85, beyond the MR chart's UCL (new).
    core = await open();
    try {
      await core.engines.start();
      await core.pipeline.ingestValue([measurement(TEST_1, 10, 10.85), measurement(TEST_1, 11, 10.0), measurement(TEST_1, 12, 10.1)]);
      await core.engines.waitForIdle();
      const violations = await derived(core, 'spc.rule.violated');
      assert.deepEqual(violations.map((event) => [event.data['ruleNumber'], event.data['chart']]), [[1, 'i'], [5, 'i'], [1, 'mr']]);
      assert.deepEqual((violations[1]!.data['points'] as Array<{ index: number }>).map((point) => point.index), [9, 10]);
      const [range] = violations[2]!.data['points'] as Array<{ index: number; value: number; at: string; workOrder: string }>;
      assert.deepEqual([range?.index, range?.at, range?.workOrder], [11, at(11), 'WO-101']);
      assert.ok(Math.abs((range?.value ?? 0) - 0.85) < 1e-9, 'the moving range is the value reported');

      // The query, computed from the log, sees exactly the engine's episodes.
      const chart = await core.spc.query({ equipment: TEST_1, characteristic: 'bore-diameter', from: T0, to: T0 + 3_600_000 });
      assert.deepEqual(chart.violations.map((violation) => [violation.rule.number, violation.chart, violation.at, violation.points.map((point) => point.index)]), violations.map((event) => [event.data['ruleNumber'], event.data['chart'], event.occurredAt, (event.data['points'] as Array<{ index: number }>).map((point) => point.index)]));
      assert.deepEqual(chart.violations.map((violation) => [violation.throughIndex, violation.open]), [[10, false], [11, false], [11, false]], 'the rule-1 episode spanned points 9 and 10');
      assert.equal(chart.points.length, 12);
      assert.deepEqual(chart.points.map((point) => point.phase), [...BASELINE.map(() => 'baseline'), 'monitored', 'monitored', 'monitored', 'monitored']);
      assert.equal(chart.limits?.revision, 1);
      assert.equal(chart.capability?.count, 12);
      assert.ok(chart.capability?.cpk !== null && chart.capability?.cpk !== undefined);

      const app = await buildApp(apiContextOf(core), { webUi: false });
      try {
        const bearer = async (user: string) => ({ authorization: `Bearer ${(await core.auth.createToken(user, 'spc')).token}` });
        const query = `equipment=${encodeURIComponent(TEST_1)}&characteristic=bore&from=${at(0)}&to=${at(60)}`;
        const ok = await app.inject({ url: `/api/v1/spc?${query}`, headers: await bearer('quinn') });
        assert.equal(ok.statusCode, 200, ok.body);
        const body = ok.json() as { chartType: string; limits: { location: { ucl: number } }; violations: unknown[]; points: unknown[]; capability: { cpk: { value: number; lower: number; upper: number } } };
        assert.equal(body.chartType, 'i-mr');
        assert.equal(body.violations.length, 3);
        assert.equal(body.points.length, 12);
        assert.ok(body.capability.cpk.lower < body.capability.cpk.value && body.capability.cpk.value < body.capability.cpk.upper);
        assert.equal((await app.inject({ url: `/api/v1/spc?${query}`, headers: await bearer('walt') })).statusCode, 403, 'a reader of another area');
        assert.equal((await app.inject({ url: `/api/v1/spc?equipment=${encodeURIComponent(TEST_1)}&characteristic=roughness`, headers: await bearer('ada') })).statusCode, 404);
        assert.equal((await app.inject({ url: `/api/v1/spc?equipment=${encodeURIComponent(`${LINE}/test-9`)}&characteristic=bore`, headers: await bearer('ada') })).statusCode, 404);
        assert.equal((await app.inject({ url: `/api/v1/spc?${query.replace(`from=${at(0)}`, `from=${at(90)}`)}`, headers: await bearer('ada') })).statusCode, 400);
        const other = await app.inject({ url: `/api/v1/spc?equipment=${encodeURIComponent(TEST_2)}&characteristic=bore-diameter&from=${at(0)}&to=${at(60)}`, headers: await bearer('ada') });
        assert.equal(other.statusCode, 200, other.body);
        assert.deepEqual((other.json() as { violations: unknown[] }).violations, [], 'test-2 is its own chart');
      } finally {
        await app.close();
      }
    } finally {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
