import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onDuty, ShiftCalendar } from './shift-calendar.js';

const SHIFTS = [
  { id: 'early', start: '06:00', end: '14:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const },
  { id: 'late', start: '14:00', end: '22:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const },
  { id: 'night', start: '22:00', end: '06:00', days: ['sun', 'mon', 'tue', 'wed', 'thu'] as const },
].map((shift) => ({ ...shift, days: [...shift.days] }));

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('shift calendar', () => {
  it('finds the shift on at an instant in the site time zone', () => {
    const calendar = new ShiftCalendar(SHIFTS, 'Europe/Berlin');
    // Monday 2026-01-05 07:00 Berlin (UTC+1) is 06:00Z: early shift, 05:00Z–13:00Z.
    const early = calendar.shiftAt(Date.UTC(2026, 0, 5, 6));
    assert.deepEqual({ shift: early?.shift, start: iso(early?.start), end: iso(early?.end) }, { shift: 'early', start: '2026-01-05T05:00:00.000Z', end: '2026-01-05T13:00:00.000Z' });
  });
  it('gives an overnight shift to the day it started, and knows weekends have none', () => {
    const calendar = new ShiftCalendar(SHIFTS, 'Europe/Berlin');
    // Tuesday 02:00 Berlin is in Monday's night shift.
    const night = calendar.shiftAt(Date.UTC(2026, 0, 6, 1));
    assert.deepEqual([night?.shift, iso(night?.start), iso(night?.end)], ['night', '2026-01-05T21:00:00.000Z', '2026-01-06T05:00:00.000Z']);
    // Saturday noon: nothing planned.
    assert.equal(calendar.shiftAt(Date.UTC(2026, 0, 10, 11)), undefined);
    // Friday 23:00: Friday has no night shift.
    assert.equal(calendar.shiftAt(Date.UTC(2026, 0, 9, 22)), undefined);
  });
  it('honours daylight saving: shifts after the change keep their local times at the new offset', () => {
    const calendar = new ShiftCalendar(SHIFTS, 'Europe/Berlin');
    // Sunday 2026-03-29 02:00 Berlin the clocks jump to 03:00; Sunday night 22:00 → Monday 06:00 CEST.
    const night = calendar.shiftAt(Date.UTC(2026, 2, 29, 23));
    assert.equal(iso(night?.start), '2026-03-29T20:00:00.000Z');
    assert.equal(iso(night?.end), '2026-03-30T04:00:00.000Z');
    // Saturday-to-Sunday spans the change but there is no Saturday night shift; Thursday's is 8 h.
    const thursday = calendar.shiftAt(Date.UTC(2026, 2, 26, 23));
    assert.equal((thursday!.end - thursday!.start) / 3_600_000, 8);
  });
  it('lists windows in a range and finds the next and previous shift', () => {
    const calendar = new ShiftCalendar(SHIFTS, 'UTC');
    const windows = calendar.windows(Date.UTC(2026, 0, 5, 0), Date.UTC(2026, 0, 6, 0));
    assert.deepEqual(windows.map((window) => window.shift), ['night', 'early', 'late', 'night']);
    assert.equal(calendar.nextShift(Date.UTC(2026, 0, 5, 10))?.shift, 'late');
    assert.equal(iso(calendar.previousShift(Date.UTC(2026, 0, 5, 10))?.end), '2026-01-05T06:00:00.000Z');
    assert.equal(iso(calendar.nextShift(Date.UTC(2026, 0, 9, 22, 30))?.start), '2026-01-11T22:00:00.000Z', 'Friday late → Sunday night');
  });
  it('reads the roster for a shift, area and role', () => {
    const roster = [
      { shift: 'early', area: 'assembly', role: 'maintenance' as const, users: ['mike', 'mara'] },
      { shift: 'early', area: 'assembly', role: 'operator' as const, users: ['olga'] },
      { shift: 'late', area: 'assembly', role: 'maintenance' as const, users: ['mara'] },
    ];
    assert.deepEqual(onDuty(roster, 'early', 'assembly', 'maintenance'), ['mara', 'mike']);
    assert.deepEqual(onDuty(roster, 'early', 'assembly'), ['mara', 'mike', 'olga']);
    assert.deepEqual(onDuty(roster, 'night', 'assembly', 'maintenance'), []);
  });
});
