/**
 * SPC on the demo plant, end to end (free ports, a fresh data folder, high speed): the boring tool of test-1 wears, so
 * the bore diameter drifts up through every tool life. The spc engine watches it on an X̄-R chart whose limits come
 * from the first tool, emits `spc.rule.violated`, and routing (rule `spc-violation`) opens a quality-deviation case —
 * before any test-1 part leaves the spec limits 25.000 ± 0.050 mm.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CaseDoc } from '../../src/core/cases.js';
import type { StoredEvent } from '../../src/core/event.js';
import type { SpcQueryResult } from '../../src/core/spc.js';
import { startDemo, type DemoHandle } from '../../src/runtime/demo.js';
import { until } from '../support/wait.js';

const TEST_1 = 'acme/plant-1/assembly/line-1/test-1';
const SPEED = 480;
/** Plant time on the demo's Monday (site time UTC+1). */
const local = (hour: number, minute = 0) => Date.UTC(2026, 0, 5, hour - 1, minute);
/** Run at most until this plant time looking for a part out of spec: the second tool life ends near 08:35. */
const LAST_LOOK = local(10);

/** Out of 25.000 ± 0.050, compared in tenths of microns like the simulator's own judgement. */
const outOfSpec = (value: number): boolean => Math.abs(Math.round((value - 25) * 10_000)) > 500;

async function boresOf(demo: DemoHandle): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await demo.runtime.stores.events.query({ equipment: TEST_1, types: ['quality.measurement.recorded'], afterPosition: after, limit: 10_000 });
    events.push(...page.filter((event) => event.data['characteristic'] === 'bore-diameter'));
    if (page.length < 10_000) return events;
    after = page[page.length - 1]!.position;
  }
}

describe('SPC on the demo plant', () => {
  it('opens an SPC case for the drifting bore on test-1 before any part leaves the spec limits', { timeout: 240_000 }, async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-spc-e2e-'));
    const startedAt = Date.now();
    const demo = await startDemo({ dataDir, reset: true, ports: 'auto', port: 0, speed: SPEED });
    try {
      const spcCase = await until('a quality-deviation case from SPC on test-1', async () => {
        const cases = await demo.runtime.stores.operations.findCases<CaseDoc>({ kind: 'quality-deviation' });
        return cases.find((entry) => entry.doc.rule === 'spc-violation' && entry.doc.equipment === TEST_1);
      }, 150_000);

      // Let the plant run on until a test-1 part leaves the spec limits (or it is late enough to stop looking).
      const firstOut = await until('a test-1 part out of spec, or plant time past 10:00', async () => {
        const outside = (await boresOf(demo)).find((event) => outOfSpec(Number(event.data['value'])));
        if (outside !== undefined) return { event: outside };
        return demo.sim.clock.now() > LAST_LOOK ? { event: undefined } : undefined;
      }, 150_000);

      // The case was raised by the engine's violation on test-1, and that violation is the drift: above the centre line.
      const trigger = (await demo.runtime.stores.events.query({ types: ['spc.rule.violated'], equipment: TEST_1 })).find((event) => event.id === spcCase.doc.events.first.id);
      assert.ok(trigger !== undefined, 'the case links the spc.rule.violated that opened it');
      assert.ok(['above', 'increasing'].includes(String(trigger.data['side'])), `the wear shows above the centre line: ${String(trigger.data['rule'])} ${String(trigger.data['side'])}`);
      assert.match(spcCase.doc.title, /^SPC rule \d: .* on bore-diameter at acme\/plant-1\/assembly\/line-1\/test-1$/);
      const involved = trigger.data['points'] as Array<{ value: number; at: string }>;
      assert.ok(involved.length > 0 && involved.every((point) => !outOfSpec(point.value)), 'the points that raised it are subgroup means well inside the spec');

      const openedAt = spcCase.openedAt;
      if (firstOut.event === undefined) {
        t.diagnostic(`no test-1 part left the spec limits up to ${new Date(LAST_LOOK).toISOString()}; the SPC case exists all the same (opened ${new Date(openedAt).toISOString()})`);
      } else {
        const outAt = Date.parse(firstOut.event.occurredAt);
        assert.ok(openedAt < outAt, `the case opened at ${new Date(openedAt).toISOString()}, the first part out of spec (${String(firstOut.event.data['value'])} mm) at ${firstOut.event.occurredAt}`);
        assert.ok(Date.parse(trigger.occurredAt) < outAt, 'and the violation was on the log before that part was measured');
        t.diagnostic(`SPC case opened ${Math.round((outAt - openedAt) / 60_000)} plant minutes before the first part out of spec (${firstOut.event.occurredAt}, ${String(firstOut.event.data['value'])} mm): ${spcCase.doc.title}`);
      }

      // The chart behind it, from the API: limits from the first tool's seven subgroups, the violation, capability.
      const token = (await demo.runtime.auth.createToken('quinn', 'e2e')).token;
      const url = `${demo.runtime.url}/api/v1/spc?equipment=${encodeURIComponent(TEST_1)}&characteristic=bore-diameter&from=${new Date(local(5, 30)).toISOString()}&to=${new Date(local(10)).toISOString()}`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 200, await response.clone().text());
      const chart = (await response.json()) as SpcQueryResult;
      assert.equal(chart.chartType, 'xbar-r');
      assert.equal(chart.limitsHistory[0]?.baseline?.points, 7);
      assert.ok(Date.parse(chart.limitsHistory[0]!.baseline!.to) < local(6, 5), 'the baseline is the first tool, before the 06:00 change');
      assert.ok(chart.violations.some((violation) => violation.at === trigger.occurredAt && violation.rule.number === trigger.data['ruleNumber']), 'the query shows the engine\'s violation');
      assert.ok(chart.capability?.cpk !== null && chart.capability?.cpk !== undefined, 'Cpk over the range');
      t.diagnostic(`real time ${Math.round((Date.now() - startedAt) / 1000)} s; Cpk ${chart.capability.cpk.value.toFixed(2)} [${chart.capability.cpk.lower.toFixed(2)}, ${chart.capability.cpk.upper.toFixed(2)}], Ppk ${chart.capability.ppk?.value.toFixed(2)}`);
    } finally {
      await demo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
