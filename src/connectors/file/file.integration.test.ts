/**
 * The file connector against a real drop folder and the real core (SQLite stores, ingest pipeline): CSV exports in
 * both delimiter conventions become samples and events, files move to done/ or failed/ with a report, bad rows become
 * dead letters with file and line, a file still being written is read only once complete, the same file dropped
 * twice stores nothing twice, a missing folder is retried until it appears, and stop() leaves nothing running.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCore, type Core } from '../../runtime/create-runtime.js';
import type { FileReport } from './file-connector.js';
import { resourceCounts, until } from '../../../test/support/wait.js';

const LINE = 'acme/plant-1/assembly/line-1';

function plantYaml(euFolder: string, isoFolder: string, lateFolder: string): string {
  return `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    timezone: Europe/Berlin
    areas:
      - id: assembly
        lines:
          - id: line-1
            equipment: [{ id: press-1 }, { id: cnc-1 }]
connectors:
  - id: exports-eu
    kind: file
    system: mes
    folder: ${JSON.stringify(euFolder)}
    delimiter: ";"
    decimal: ","
    settleMs: 600
    scanIntervalMs: 200
    timestamp: { column: Zeit, format: local, timezone: Europe/Berlin }
    rows:
      - { when: { column: Art, equals: temp }, equipment: "${LINE}/{Maschine}", signal: temperature, as: sample, value: Wert }
      - { when: { column: Art, equals: state }, equipment: "${LINE}/{Maschine}", signal: state, as: state, value: Wert,
          enum: { "1": execute, "2": faulted } }
      - when: { column: Art, equals: stop }
        eventType: downtime.reason.recorded
        subject: { equipment: "${LINE}/{Maschine}" }
        data: { reason: Notiz, minutes: { column: Wert, type: number } }
  - id: exports
    kind: file
    system: mes
    folder: ${JSON.stringify(isoFolder)}
    settleMs: 600
    scanIntervalMs: 200
    timestamp: { column: time, format: iso }
    rows:
      - { equipment: "${LINE}/{machine}", signal: spindle-load, as: sample, value: load }
      - { when: { column: event, equals: inspected }, eventType: custom.part.inspected, subject: { equipment: "${LINE}/{machine}", serial: "{serial}" },
          data: { result: result, note: note } }
  - id: late-share
    kind: file
    folder: ${JSON.stringify(lateFolder)}
    settleMs: 100
    scanIntervalMs: 200
    timestamp: { column: time, format: epoch-ms }
    rows:
      - { equipment: "${LINE}/press-1", signal: late, as: sample, value: value }
`;
}

/** The reports in a done/ or failed/ folder whose file name starts with `stem`. */
function reportsFor(folder: string, stem: string): FileReport[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.startsWith(stem) && name.endsWith('.report.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as FileReport);
}

const reportIn = (folder: string, stem: string, count = 1) => until(`${count} report(s) for ${stem} in ${folder}`, () => {
  const reports = reportsFor(folder, stem);
  return reports.length >= count ? reports : undefined;
});

describe('file connector', () => {
  const resourcesBefore = resourceCounts();
  const dir = mkdtempSync(join(tmpdir(), 'pf-file-'));
  const eu = join(dir, 'drop-eu');
  const iso = join(dir, 'drop');
  const late = join(dir, 'share-not-mounted', 'exports');
  let core: Core;
  const health = (id: string) => core.connectors.status().find((status) => status.id === id)!.health;

  before(async () => {
    const configFile = join(dir, 'plant.yaml');
    writeFileSync(configFile, plantYaml(eu, iso, late));
    core = await createCore({ configFile, dataDir: join(dir, 'data') });
    await core.connectors.start();
    await until('both drop folders watched', () => health('exports-eu').state === 'connected' && health('exports').state === 'connected');
  });

  after(async () => {
    await core?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a folder whose parent is missing as disconnected, and starts reading once it appears', async () => {
    const lateHealth = await until('disconnected', () => (health('late-share').state === 'disconnected' ? health('late-share') : undefined));
    assert.match(lateHealth.lastError?.message ?? '', /does not exist, nor its parent/);
    mkdirSync(late, { recursive: true });
    await until('connected after retry', () => health('late-share').state === 'connected');
    writeFileSync(join(late, 'a.csv'), `time,value\n${Date.UTC(2026, 0, 11)},7\n`);
    const [report] = await reportIn(join(late, 'done'), 'a.csv');
    assert.equal(report!.samples, 1);
  });

  it('creates a missing drop folder whose parent exists', () => {
    assert.ok(existsSync(eu) && existsSync(join(eu, 'done')) && existsSync(join(eu, 'failed')));
    assert.deepEqual(health('exports-eu').details?.['folder'], eu);
  });

  it('reads a ;-separated export with quoted fields, decimal commas and local times, then moves it to done/ with a report', async () => {
    const csv = [
      'Zeit;Maschine;Art;Wert;Notiz',
      '05.01.2026 07:00:00;press-1;temp;21,5;',
      '05.01.2026 07:00:10;press-1;temp;21,75;',
      '05.01.2026 07:01:00;press-1;state;1;',
      '05.01.2026 07:05:00;press-1;stop;12;"Stau; Teil ""A-7"" verklemmt',
      'mit Zeilenumbruch"',
      '05.01.2026 07:06:00;press-1;state;2;',
    ].join('\r\n');
    writeFileSync(join(eu, 'schicht-1.csv'), `\uFEFF${csv}\r\n`, 'utf8');
    const [report] = await reportIn(join(eu, 'done'), 'schicht-1.csv');
    assert.deepEqual(
      { status: report!.status, rowsRead: report!.rowsRead, samples: report!.samples, events: report!.events, rejected: report!.rejected },
      { status: 'done', rowsRead: 5, samples: 2, events: 3, rejected: [] },
    );
    assert.ok(existsSync(join(eu, 'done', 'schicht-1.csv')) && !existsSync(join(eu, 'schicht-1.csv')));
    const t0 = Date.UTC(2026, 0, 5, 6);
    const points = await core.stores.historian.range({ equipment: `${LINE}/press-1`, signal: 'temperature', from: t0, to: t0 + 60_000 });
    assert.deepEqual(points.map(({ ts, value }) => [ts - t0, value]), [[0, 21.5], [10_000, 21.75]]);
    const events = await core.stores.events.query({ from: t0, to: t0 + 3_600_000 });
    assert.deepEqual(
      events.map((event) => [event.type, event.occurredAt, event.data]),
      [
        ['equipment.state.changed', '2026-01-05T06:01:00.000Z', { state: 'execute' }],
        ['downtime.reason.recorded', '2026-01-05T06:05:00.000Z', { reason: 'Stau; Teil "A-7" verklemmt\r\nmit Zeilenumbruch', minutes: 12 }],
        ['equipment.state.changed', '2026-01-05T06:06:00.000Z', { state: 'faulted', previousState: 'execute' }],
      ],
    );
    assert.deepEqual(events[0]!.source, { system: 'mes', connector: 'exports-eu', address: 'Wert' });
    assert.equal(health('exports-eu').details?.['filesProcessed'], 1);
  });

  it('reads a ,-separated export with ISO times and typed event data', async () => {
    writeFileSync(
      join(iso, 'inspection.csv'),
      'time,machine,load,event,serial,result,note\n' +
        '2026-01-06T06:00:00Z,cnc-1,41.5,,,,\n' +
        '2026-01-06T06:00:05Z,cnc-1,43,inspected,SN-0042,1,"ok, with ""minor"" burr"\n',
    );
    const [report] = await reportIn(join(iso, 'done'), 'inspection.csv');
    assert.equal(report!.samples, 2);
    const [event] = await core.stores.events.query({ types: ['custom.part.inspected'] });
    assert.deepEqual(event!.subject, { equipment: `${LINE}/cnc-1`, serial: 'SN-0042' });
    assert.deepEqual(event!.data, { result: 1, note: 'ok, with "minor" burr' });
  });

  it('dead-letters a row it cannot map with file and line, and accepts the rest', async () => {
    writeFileSync(
      join(iso, 'shift-report.csv'),
      'time,machine,load,event,serial,result,note\n2026-01-07T06:00:00Z,cnc-1,40,,,,\n2026-01-07T06:00:01Z,cnc-1,forty-one,,,,\nyesterday,cnc-1,42,,,,\n' +
        '2026-01-07T06:00:03Z,cnc-1,43,,,,\n',
    );
    const [report] = await reportIn(join(iso, 'done'), 'shift-report.csv');
    assert.equal(report!.status, 'done');
    assert.deepEqual(report!.rejected!.map((row) => row.line), [3, 4]);
    assert.match(report!.rejected![0]!.reason, /"forty-one" is not a number/);
    const t0 = Date.UTC(2026, 0, 7, 6);
    const points = await core.stores.historian.range({ equipment: `${LINE}/cnc-1`, signal: 'spindle-load', from: t0, to: t0 + 60_000 });
    assert.deepEqual(points.map((point) => point.value), [40, 43]);
    const letters = await core.stores.deadLetters.list({ stage: 'connector' });
    const bad = letters.filter((letter) => letter.source.address?.startsWith('shift-report.csv:'));
    assert.deepEqual(bad.map((letter) => letter.source.address).sort(), ['shift-report.csv:3', 'shift-report.csv:4']);
    const row3 = bad.find((letter) => letter.source.address === 'shift-report.csv:3')!;
    assert.equal(Buffer.from(row3.raw).toString('utf8'), '2026-01-07T06:00:01Z,cnc-1,forty-one,,,,');
    assert.equal(row3.code, 'PF_ERR_INGEST_SCHEMA');
  });

  it('moves a binary file to failed/ with a report and keeps it whole as a dead letter', async () => {
    const garbage = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0xff, 0xfe, 0x01]);
    writeFileSync(join(iso, 'export.csv'), garbage);
    const [report] = await reportIn(join(iso, 'failed'), 'export.csv');
    assert.equal(report!.status, 'failed');
    assert.equal(report!.error?.code, 'PF_ERR_INGEST_DECODE');
    assert.ok(existsSync(join(iso, 'failed', 'export.csv')));
    const letter = await until('the whole-file dead letter', async () =>
      (await core.stores.deadLetters.list({ stage: 'connector' })).find((entry) => entry.source.address === 'export.csv'),
    );
    assert.deepEqual(Buffer.from(letter.raw), garbage);
    assert.equal(health('exports').details?.['filesFailed'], 1);
  });

  it('moves a file whose header lacks a mapped column to failed/', async () => {
    writeFileSync(join(iso, 'wrong-export.csv'), 'time,machine,speed,event,serial,result,note\n2026-01-08T06:00:00Z,cnc-1,40,,,,\n');
    const [report] = await reportIn(join(iso, 'failed'), 'wrong-export.csv');
    assert.equal(report!.error?.code, 'PF_ERR_INGEST_SCHEMA');
    assert.match(report!.error!.message, /lacks column load/);
  });

  it('ignores temporary names and reads a file written in two steps only once it is complete', async () => {
    const header = 'time,machine,load,event,serial,result,note\n';
    writeFileSync(join(iso, 'upload.csv.tmp'), header);
    const path = join(iso, 'slow-writer.csv');
    writeFileSync(path, `${header}2026-01-09T06:00:00Z,cnc-1,1,,,,\n2026-01-09T06:00:01Z,cnc-1,2,,,,\n`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    appendFileSync(path, '2026-01-09T06:00:02Z,cnc-1,3,,,,\n2026-01-09T06:00:03Z,cnc-1,4,,,,\n');
    const reports = await reportIn(join(iso, 'done'), 'slow-writer');
    assert.equal(reports.length, 1);
    assert.equal(reports[0]!.rowsRead, 4, 'all rows, read once');
    assert.deepEqual(reportsFor(join(iso, 'failed'), 'slow-writer'), []);
    assert.ok(existsSync(join(iso, 'upload.csv.tmp')), 'a temporary name is never read or moved');
  });

  it('stores nothing twice when the same file is dropped again', async () => {
    const content = 'time,machine,load,event,serial,result,note\n2026-01-10T06:00:00Z,cnc-1,50,inspected,SN-7,1,\n2026-01-10T06:00:01Z,cnc-1,51,,,,\n';
    writeFileSync(join(iso, 'again.csv'), content);
    await reportIn(join(iso, 'done'), 'again');
    const t0 = Date.UTC(2026, 0, 10, 6);
    const countStored = async () => ({
      events: (await core.stores.events.query({ from: t0, to: t0 + 60_000 })).length,
      samples: (await core.stores.historian.range({ equipment: `${LINE}/cnc-1`, signal: 'spindle-load', from: t0, to: t0 + 60_000 })).length,
    });
    assert.deepEqual(await countStored(), { events: 1, samples: 2 });
    writeFileSync(join(iso, 'again.csv'), content);
    const reports = await reportIn(join(iso, 'done'), 'again', 2);
    assert.equal(reports[1]!.events, 1, 'the second copy was read and handed over');
    assert.match(reports.map((report) => report.movedTo).join(' '), /again\.\d{8}T\d{9}Z\.csv/, 'the second copy is kept under a new name');
    assert.deepEqual(await countStored(), { events: 1, samples: 2 }, 'content-derived ids and one value per signal and ms keep one copy');
  });

  it('leaves no watcher or timer behind once stopped', async () => {
    await core.connectors.stop();
    for (const id of ['exports-eu', 'exports', 'late-share']) assert.equal(health(id).state, 'stopped');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = resourceCounts();
    for (const kind of ['FSEventWrap', 'Timeout', 'StatWatcher']) {
      assert.ok((now[kind] ?? 0) <= (resourcesBefore[kind] ?? 0), `${kind}: ${now[kind] ?? 0} open after stop, ${resourcesBefore[kind] ?? 0} before`);
    }
  });
});
