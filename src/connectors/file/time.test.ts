import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTimeReader } from './time.js';

describe('file row times', () => {
  it('reads ISO 8601 only with a zone', () => {
    const read = createTimeReader({ column: 't', format: 'iso' });
    assert.equal(read('2026-01-05T06:00:00Z'), Date.UTC(2026, 0, 5, 6));
    assert.equal(read('2026-01-05 07:00:00.250+01:00'), Date.UTC(2026, 0, 5, 6, 0, 0, 250));
    assert.equal(read('2026-01-05T07:00+0100'), Date.UTC(2026, 0, 5, 6));
    assert.equal(read('2026-01-05T07:00:00+01'), Date.UTC(2026, 0, 5, 6));
    assert.equal(read('2026-01-05T06:00:00'), undefined, 'no zone: the server zone must not decide');
    assert.equal(read('yesterday'), undefined);
  });

  it('reads epoch milliseconds and seconds', () => {
    assert.equal(createTimeReader({ column: 't', format: 'epoch-ms' })(' 1767592800000 '), 1767592800000);
    assert.equal(createTimeReader({ column: 't', format: 'epoch-s' })('1767592800.5'), 1767592800500);
    assert.equal(createTimeReader({ column: 't', format: 'epoch-s' })('12:00'), undefined);
  });

  it('reads local wall-clock time in the site zone, in ISO-like and dotted European notation', () => {
    const read = createTimeReader({ column: 't', format: 'local', timezone: 'Europe/Berlin' });
    assert.equal(read('2026-01-05 07:00:00'), Date.UTC(2026, 0, 5, 6), 'winter: UTC+1');
    assert.equal(read('2026-07-05T08:00'), Date.UTC(2026, 6, 5, 6), 'summer: UTC+2');
    assert.equal(read('05.01.2026 07:00'), Date.UTC(2026, 0, 5, 6));
    assert.equal(read('5.1.2026 07:00:30'), Date.UTC(2026, 0, 5, 6, 0, 30));
    assert.equal(read('2026-01-05 07:00:00,5'), Date.UTC(2026, 0, 5, 6, 0, 0, 500));
    assert.equal(read('31.02.2026 07:00'), undefined, 'a date that does not exist');
    assert.equal(read('2026-01-05 25:00'), undefined);
  });

  it('takes the earlier instant in the repeated hour and shifts a time in the skipped hour forward', () => {
    const read = createTimeReader({ column: 't', format: 'local', timezone: 'Europe/Berlin' });
    // 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    assert.equal(read('2026-10-25 02:30'), Date.UTC(2026, 9, 25, 0, 30));
    assert.equal(read('2026-10-25 03:30'), Date.UTC(2026, 9, 25, 2, 30));
    // 2026-03-29: 02:00 CET becomes 03:00 CEST, so 02:30 never happens; read with the winter offset.
    assert.equal(read('2026-03-29 02:30'), Date.UTC(2026, 2, 29, 1, 30));
    assert.equal(read('2026-03-29 03:30'), Date.UTC(2026, 2, 29, 1, 30));
  });

  it('reads local time in zones west of UTC', () => {
    const read = createTimeReader({ column: 't', format: 'local', timezone: 'America/Chicago' });
    assert.equal(read('2026-01-05 00:00'), Date.UTC(2026, 0, 5, 6));
  });
});
