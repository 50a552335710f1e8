import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadSimConfig, type SimConfig } from '../config.js';
import { startOf } from './incidents.js';
import { RtlsModel, zonesAt } from './rtls.js';
import type { PositionUpdate } from './types.js';

const MINUTE_MS = 60_000;

describe('RtlsModel', () => {
  let config: SimConfig;
  let reports: PositionUpdate[];
  let model: RtlsModel;
  let start: number;
  const hours = 3;

  before(async () => {
    config = await loadSimConfig();
    start = startOf(config);
    model = new RtlsModel(config.rtls, config.incidents, config.seed, start);
    reports = model.initial(start);
    for (let second = 1; second <= hours * 3600; second += 1) reports.push(...model.step(start + second * 1000, 1000));
  });

  const zonesOf = (report: PositionUpdate): string[] => zonesAt(config.rtls.zones, report);
  const of = (tag: string): PositionUpdate[] => reports.filter((report) => report.tag === tag);

  it('reports every tag at about 1 Hz while it moves and every 10 s while it stands', () => {
    for (const tag of config.rtls.tags) {
      const own = of(tag.id);
      const gaps = own.slice(1).map((report, index) => report.ts - own[index]!.ts);
      // A standing tag that starts to move reports at once, so gaps between the two rates occur too.
      assert.ok(gaps.every((gap) => gap >= 1000 && gap <= 10_000 && gap % 1000 === 0), `${tag.id}: gaps ${[...new Set(gaps)].join(',')}`);
      assert.ok(gaps.filter((gap) => gap === 10_000).length > 100, `${tag.id} stood still at times`);
      assert.ok(gaps.some((gap) => gap === 1000), `${tag.id} moved`);
    }
  });

  it('leaves the misplaced tool in the wrong zone from the scripted time to the end', () => {
    const { tag, zone, atMinute } = config.incidents.misplacedTool;
    const home = config.rtls.tags.find((candidate) => candidate.id === tag)!.home;
    const own = of(tag);
    const before = own.filter((report) => report.ts < start + atMinute * MINUTE_MS);
    assert.ok(before.every((report) => !zonesOf(report).includes(zone)), 'not in the wrong zone before the incident');
    assert.ok(before.some((report) => zonesOf(report).includes(home)), 'at home before');
    const arrival = own.find((report) => report.ts > start + atMinute * MINUTE_MS && zonesOf(report).includes(zone));
    assert.ok(arrival !== undefined, `${tag} reached ${zone}`);
    assert.ok(arrival.ts - (start + atMinute * MINUTE_MS) < 3 * MINUTE_MS, 'carried there within minutes of the scripted time');
    const after = own.filter((report) => report.ts >= arrival.ts);
    assert.ok(after.every((report) => zonesOf(report).includes(zone)), 'and it stays there');
    assert.ok(after.at(-1)!.ts > start + (hours * 60 - 1) * MINUTE_MS, 'still reporting at the end');
  });

  it('lets the forklift into the restricted walkway only at the scripted time, for the scripted while', () => {
    const { tag, zone, atMinute, dwellSeconds } = config.incidents.restrictedZoneEntry;
    const at = start + atMinute * MINUTE_MS;
    for (const forklift of config.rtls.tags.filter((candidate) => candidate.kind === 'forklift')) {
      const inside = of(forklift.id).filter((report) => zonesOf(report).includes(zone));
      if (forklift.id !== tag) {
        assert.equal(inside.length, 0, `${forklift.id} never enters ${zone}`);
        continue;
      }
      assert.ok(inside.length > 0, `${tag} entered ${zone}`);
      assert.ok(inside[0]!.ts > at && inside[0]!.ts < at + 2 * MINUTE_MS, 'right after the scripted time');
      assert.ok(inside.at(-1)!.ts - inside[0]!.ts >= (dwellSeconds - 10) * 1000, 'and stayed about as long as scripted');
      assert.ok(inside.at(-1)!.ts < at + 3 * MINUTE_MS, 'then left');
    }
  });

  it('is the same for the same seed and different for another', () => {
    const run = (seed: string): PositionUpdate[] => {
      const again = new RtlsModel(config.rtls, config.incidents, seed, start);
      const out = again.initial(start);
      for (let second = 1; second <= 600; second += 1) out.push(...again.step(start + second * 1000, 1000));
      return out;
    };
    assert.deepEqual(run(String(config.seed)), reports.filter((report) => report.ts <= start + 600_000));
    assert.notDeepEqual(run('another'), reports.filter((report) => report.ts <= start + 600_000));
  });
});
