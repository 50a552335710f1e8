import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShiftCalendar, siteOffsetMinutes } from './shifts.js';

const calendar = new ShiftCalendar([{ id: 'early', start: '06:00' }, { id: 'late', start: '14:00' }, { id: 'night', start: '22:00' }], 60);
const at = (iso: string): number => Date.parse(iso);

describe('ShiftCalendar', () => {
  it('knows the shift at a local time, including the night shift across midnight', () => {
    assert.deepEqual(calendar.shiftAt(at('2026-01-05T05:30:00+01:00')), { id: 'night', start: at('2026-01-04T22:00:00+01:00'), end: at('2026-01-05T06:00:00+01:00') });
    assert.equal(calendar.shiftAt(at('2026-01-05T06:00:00+01:00')).id, 'early');
    assert.equal(calendar.shiftAt(at('2026-01-05T23:59:00+01:00')).id, 'night');
  });

  it('lists shift starts in an interval, oldest first', () => {
    const starts = calendar.startsBetween(at('2026-01-05T05:00:00+01:00'), at('2026-01-05T22:00:00+01:00'));
    assert.deepEqual(starts.map((shift) => shift.id), ['early', 'late', 'night']);
    assert.deepEqual(calendar.startsBetween(at('2026-01-05T06:00:00+01:00'), at('2026-01-05T07:00:00+01:00')), [], 'the interval excludes its start');
  });

  it('takes the site offset from the start instant unless it is configured', () => {
    assert.equal(siteOffsetMinutes({ start: '2026-01-05T05:30:00+01:00' }), 60);
    assert.equal(siteOffsetMinutes({ start: '2026-01-05T05:30:00-05:30' }), -330);
    assert.equal(siteOffsetMinutes({ start: '2026-01-05T05:30:00Z' }), 0);
    assert.equal(siteOffsetMinutes({ start: '2026-01-05T05:30:00+01:00', utcOffsetMinutes: 120 }), 120);
  });
});
