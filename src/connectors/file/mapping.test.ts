import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileRow } from './config.js';
import { autoValue, configProblems, createFileMapper, fillTemplate, parseNumber, referencedColumns, type FileMappingConfig } from './mapping.js';

const source = { system: 'mes', connector: 'exports' };
const bytes = (text: string) => new TextEncoder().encode(text);
const LINE = 'acme/plant-1/assembly/line-1';

const rows: FileRow[] = [
  { when: { column: 'kind', equals: 'temp' }, equipment: `${LINE}/{machine}`, signal: 'temperature', as: 'sample', value: 'value' },
  { when: { column: 'kind', equals: 'state' }, equipment: `${LINE}/{machine}`, signal: 'state', as: 'state', value: 'value', enum: { '1': 'execute', '2': 'faulted' } },
  {
    when: { column: 'kind', equals: 'stop' },
    eventType: 'downtime.reason.recorded',
    subject: { equipment: `${LINE}/{machine}`, workOrder: '{order}' },
    data: { reason: 'note', minutes: { column: 'value', type: 'number' } },
  },
];

function config(overrides: Partial<FileMappingConfig> = {}): FileMappingConfig {
  return { delimiter: ';', decimal: ',', header: true, encoding: 'utf-8', timestamp: { column: 'time', format: 'iso' }, rows, ...overrides };
}

const FILE = [
  'time;machine;kind;value;order;note',
  '2026-01-05T06:00:00Z;press-1;temp;21,5;;',
  '2026-01-05T06:00:01Z;press-1;state;1;;',
  '2026-01-05T06:00:02Z;press-1;stop;12;000123;"jam; cleared by ""Max"""',
  '2026-01-05T06:00:03Z;press-1;temp;warm;;',
  'not a time;press-1;temp;22;;',
  '2026-01-05T06:00:04Z;press-1;other;1;;',
  '2026-01-05T06:00:05Z;press-1;temp;;;',
  '2026-01-05T06:00:06Z;press-1;state;1;;',
  '2026-01-05T06:00:07Z;press-1;state;2;;',
  '2026-01-05T06:00:08Z;;temp;23;;',
].join('\r\n');

describe('file mapping helpers', () => {
  it('fills {column} placeholders and refuses missing or empty ones', () => {
    const cells = new Map([['machine', ' press-1 '], ['empty', '']]);
    assert.deepEqual(fillTemplate(`${LINE}/{machine}`, cells), { ok: true, text: `${LINE}/press-1` });
    assert.deepEqual(fillTemplate('{nope}', cells), { ok: false, message: "no column 'nope'" });
    assert.deepEqual(fillTemplate('{empty}', cells), { ok: false, message: "column 'empty' is empty" });
  });

  it('reads numbers in either decimal notation and keeps identifiers as text', () => {
    assert.equal(parseNumber(' 12.5 ', '.'), 12.5);
    assert.equal(parseNumber('12,5', ','), 12.5);
    assert.equal(parseNumber('1.234,5', ','), undefined, 'thousands separators are not guessed at');
    assert.equal(parseNumber('12,5', '.'), undefined);
    assert.equal(parseNumber('-3e2', '.'), -300);
    assert.equal(autoValue('000123', '.'), '000123');
    assert.equal(autoValue('0.5', '.'), 0.5);
    assert.equal(autoValue('press-1', '.'), 'press-1');
  });

  it('lists every column the mapping reads', () => {
    assert.deepEqual(referencedColumns(config()).sort(), ['kind', 'machine', 'note', 'order', 'time', 'value']);
  });

  it('finds configuration problems no file can fix', () => {
    assert.match(configProblems({ timestamp: { column: 't', format: 'local' }, rows })[0]!, /timezone is required/);
    assert.match(configProblems({ timestamp: { column: 't', format: 'local', timezone: 'Mars/Olympus' }, rows })[0]!, /not an IANA/);
    assert.match(configProblems({ timestamp: { column: 'time', format: 'iso' }, rows, columns: ['time', 'value'] })[0]!, /does not name kind, machine/);
    assert.deepEqual(configProblems({ timestamp: { column: 'time', format: 'local', timezone: 'Europe/Berlin' }, rows }), []);
  });
});

describe('mapping a CSV file', () => {
  it('maps samples, states and direct events, and keeps every unmappable row with its line and reason', () => {
    const result = createFileMapper(config(), source)(bytes(FILE));
    assert.ok(result.ok);
    assert.equal(result.rowsRead, 10);
    assert.deepEqual(result.samples, [{ equipment: `${LINE}/press-1`, signal: 'temperature', ts: Date.UTC(2026, 0, 5, 6), value: 21.5, quality: 'good' }]);
    assert.deepEqual(
      result.events.map((event) => [event.type, event.data]),
      [
        ['equipment.state.changed', { state: 'execute' }],
        ['downtime.reason.recorded', { reason: 'jam; cleared by "Max"', minutes: 12 }],
        ['equipment.state.changed', { state: 'faulted', previousState: 'execute' }],
      ],
    );
    const stop = result.events[1]!;
    assert.deepEqual(stop.subject, { equipment: `${LINE}/press-1`, workOrder: '000123' });
    assert.deepEqual(stop.source, source, 'no file name or line: a re-export under another name is the same event');
    assert.equal(stop.occurredAt, '2026-01-05T06:00:02.000Z');
    assert.deepEqual(
      result.rejected.map(({ line, reason }) => ({ line, reason })),
      [
        { line: 5, reason: `value → ${LINE}/press-1/temperature: value "warm" is not a number` },
        { line: 6, reason: `time "not a time" in column 'time' is not iso with a zone` },
        { line: 11, reason: "equipment: column 'machine' is empty" },
      ],
    );
    assert.equal(result.rejected[0]!.raw, '2026-01-05T06:00:03Z;press-1;temp;warm;;');
    assert.equal(result.unmatched, 1, 'a row no mapping selects is counted, not rejected');
    assert.equal(result.skipped, 2, 'an empty value cell and an unchanged state are skipped');
  });

  it('maps the same bytes to the same output every time (memory lives for one file)', () => {
    const map = createFileMapper(config(), source);
    assert.deepEqual(map(bytes(FILE)), map(bytes(FILE)));
  });

  it('refuses a file whose header lacks a column the mapping reads', () => {
    const result = createFileMapper(config(), source)(bytes('time;machine;kind;value\n2026-01-05T06:00:00Z;press-1;temp;1\n'));
    assert.deepEqual(result, { ok: false, code: 'PF_ERR_INGEST_SCHEMA', message: 'the header lacks columns order, note (it has time, machine, kind, value)' });
  });

  it('refuses binary files and files with an unclosed quote', () => {
    const binary = createFileMapper(config(), source)(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14]));
    assert.equal(binary.ok === false && binary.code, 'PF_ERR_INGEST_DECODE');
    const open = createFileMapper(config(), source)(bytes('time;machine;kind;value;order;note\n"2026;x\n'));
    assert.ok(!open.ok && /line 2: quoted field/.test(open.message));
  });

  it('reads files without a header by position or by the configured column names', () => {
    const sampleRow: FileRow = { equipment: `${LINE}/press-1`, signal: 'speed', as: 'sample', value: '1' };
    const byIndex = createFileMapper({ ...config(), delimiter: ',', decimal: '.', header: false, timestamp: { column: '0', format: 'epoch-s' }, rows: [sampleRow] }, source);
    const indexed = byIndex(bytes('1767592800,120\n1767592801,121\n1767592802\n'));
    assert.ok(indexed.ok);
    assert.deepEqual(indexed.samples.map((sample) => [sample.ts, sample.value]), [[1767592800000, 120], [1767592801000, 121]]);
    assert.deepEqual(indexed.rejected.map(({ line, reason }) => [line, reason]), [[3, "no column '1'"]]);
    const named = createFileMapper(
      { ...config(), delimiter: ',', decimal: '.', header: false, columns: ['t', 'rpm'], timestamp: { column: 't', format: 'epoch-ms' }, rows: [{ ...sampleRow, value: 'rpm' }] },
      source,
    )(bytes('1767592800000,120\n'));
    assert.ok(named.ok && named.samples[0]!.value === 120);
  });

  it('reports a record broken after a closing quote as a rejected row', () => {
    const result = createFileMapper(config(), source)(bytes('time;machine;kind;value;order;note\n"2026-01-05T06:00:00Z"x;press-1;temp;1;;\n'));
    assert.ok(result.ok && result.rejected[0]!.line === 2 && /closing quote/.test(result.rejected[0]!.reason));
  });

  it('converts typed data columns and refuses values that do not fit', () => {
    const row: FileRow = {
      eventType: 'custom.batch.closed',
      subject: { lot: '{lot}' },
      data: { closedAt: { column: 'closed', type: 'time' }, ok: { column: 'ok', type: 'boolean' }, code: { column: 'code', type: 'string' } },
    };
    const map = createFileMapper({ ...config(), delimiter: ',', decimal: '.', rows: [row] }, source);
    const result = map(bytes('time,lot,closed,ok,code\n2026-01-05T06:00:00Z,L-1,2026-01-05T05:59:00Z,yes,42\n2026-01-05T06:00:00Z,L-2,2026-01-05T05:59:00Z,maybe,42\n'));
    assert.ok(result.ok);
    assert.deepEqual(result.events[0]!.data, { closedAt: '2026-01-05T05:59:00.000Z', ok: true, code: '42' });
    assert.deepEqual(result.rejected.map(({ line, reason }) => [line, reason]), [[3, `column 'ok': "maybe" is not true or false`]]);
  });
});
