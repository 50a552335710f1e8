import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freeName, isTemporaryName, patternMatcher, SettleTracker, type FileCandidate } from './transport.js';

const file = (name: string, size: number, mtimeMs = 1): FileCandidate => ({ name, path: `/drop/${name}`, size, mtimeMs });

describe('drop folder', () => {
  it('matches glob-ish patterns case-insensitively', () => {
    const csv = patternMatcher('*.csv');
    assert.equal(csv('shift-report.csv'), true);
    assert.equal(csv('SHIFT.CSV'), true);
    assert.equal(csv('shift.csv.bak'), false);
    assert.equal(patternMatcher('line?-*.txt')('line1-2026.txt'), true);
    assert.equal(patternMatcher('a.b')('axb'), false, 'a dot is a dot');
  });

  it('recognises names writers use while writing', () => {
    for (const name of ['.hidden.csv', '~$report.csv', 'upload.csv.tmp', 'upload.csv.PART']) assert.equal(isTemporaryName(name), true, name);
    assert.equal(isTemporaryName('report.csv'), false);
  });

  it('calls a file ready only after its size and time held still for settleMs', () => {
    const tracker = new SettleTracker(500);
    assert.deepEqual(tracker.observe([file('a.csv', 10)], 1000), { ready: [], nextCheckAt: 1500 });
    assert.deepEqual(tracker.observe([file('a.csv', 20)], 1400), { ready: [], nextCheckAt: 1900 }, 'it grew: wait afresh');
    assert.deepEqual(tracker.observe([file('a.csv', 20, 2)], 1800), { ready: [], nextCheckAt: 2300 }, 'rewritten in place: wait afresh');
    assert.deepEqual(tracker.observe([file('a.csv', 20, 2)], 2300).ready.map((ready) => ready.name), ['a.csv']);
  });

  it('settles a file dropped again under a handled name afresh', () => {
    const tracker = new SettleTracker(500);
    tracker.observe([file('a.csv', 10)], 0);
    assert.equal(tracker.observe([file('a.csv', 10)], 600).ready.length, 1);
    tracker.forget('a.csv');
    assert.equal(tracker.observe([file('a.csv', 10)], 700).ready.length, 0);
    tracker.observe([], 800);
    assert.equal(tracker.observe([file('a.csv', 10)], 900).nextCheckAt, 1400, 'a file that went away and came back starts over');
  });

  it('adds the time to a name already taken in done/', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pf-file-names-'));
    try {
      const now = Date.UTC(2026, 0, 5, 6, 0, 0, 123);
      assert.equal(await freeName(folder, 'shift.csv', now), 'shift.csv');
      writeFileSync(join(folder, 'shift.csv'), '');
      assert.equal(await freeName(folder, 'shift.csv', now), 'shift.20260105T060000123Z.csv');
      writeFileSync(join(folder, 'shift.20260105T060000123Z.csv'), '');
      assert.equal(await freeName(folder, 'shift.csv', now), 'shift.20260105T060000123Z-1.csv');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
