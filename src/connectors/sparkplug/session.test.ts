import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecodedPayload } from './codec.js';
import { parseTopic, SparkplugSession, type ParsedTopic } from './session.js';

const topic = (text: string) => parseTopic(text) as Extract<ParsedTopic, { kind: 'node' }>;
const birth = (seq: number, bdSeq: number): DecodedPayload => ({
  timestamp: 1000,
  seq,
  metrics: [
    { name: 'bdSeq', datatype: 8, value: bdSeq },
    { name: 'Temperature', alias: 1, datatype: 10, value: 20.5 },
    { name: 'State', alias: 2, datatype: 12, value: 'RUNNING', timestamp: 900 },
  ],
});

describe('Sparkplug topics', () => {
  it('parses node, device and state topics and rejects others', () => {
    assert.deepEqual(parseTopic('spBv1.0/line-1/NBIRTH/edge-1'), { kind: 'node', group: 'line-1', type: 'NBIRTH', edge: 'edge-1' });
    assert.deepEqual(parseTopic('spBv1.0/line-1/DDATA/edge-1/press'), { kind: 'node', group: 'line-1', type: 'DDATA', edge: 'edge-1', device: 'press' });
    assert.deepEqual(parseTopic('spBv1.0/STATE/host-a'), { kind: 'state', hostId: 'host-a' });
    assert.equal(parseTopic('spBv1.0/line-1/NDATA/edge-1/extra'), undefined, 'node messages have no device level');
    assert.equal(parseTopic('spBv1.0/line-1/DDATA/edge-1'), undefined, 'device messages need one');
    assert.equal(parseTopic('spAv1.0/line-1/NDATA/edge-1'), undefined);
  });
});

describe('SparkplugSession', () => {
  it('learns births and resolves aliases in data, honouring per-metric timestamps', () => {
    const session = new SparkplugSession();
    const born = session.handle(topic('spBv1.0/g/NBIRTH/e'), birth(0, 7), 5000);
    assert.deepEqual(born.readings.map((reading) => [reading.metric, reading.value, reading.ts]), [['bdSeq', 7, 1000], ['Temperature', 20.5, 1000], ['State', 'RUNNING', 900]]);
    const data = session.handle(topic('spBv1.0/g/NDATA/e'), { timestamp: 2000, seq: 1, metrics: [{ alias: 1, value: 21 }, { alias: 2, value: 'HELD', timestamp: 1990 }] }, 5000);
    assert.equal(data.rebirth, undefined);
    assert.deepEqual(data.readings.map((reading) => [reading.address, reading.metric, reading.value, reading.ts]), [['g/e', 'Temperature', 21, 2000], ['g/e', 'State', 'HELD', 1990]]);
  });

  it('asks for a rebirth on a sequence gap, on data before birth and on an unknown alias', () => {
    const session = new SparkplugSession();
    assert.match(session.handle(topic('spBv1.0/g/NDATA/e'), { seq: 3, metrics: [] }, 0).rebirth?.reason ?? '', /before its node birth/);
    session.handle(topic('spBv1.0/g/NBIRTH/e'), birth(0, 1), 0);
    assert.match(session.handle(topic('spBv1.0/g/NDATA/e'), { seq: 2, metrics: [] }, 0).rebirth?.reason ?? '', /sequence gap .* expected 1, got 2/);
    assert.match(session.handle(topic('spBv1.0/g/NDATA/e'), { seq: 3, metrics: [{ alias: 99, value: 1 }] }, 0).rebirth?.reason ?? '', /unknown alias 99/);
    assert.match(session.handle(topic('spBv1.0/g/DDATA/e/d'), { seq: 4, metrics: [] }, 0).rebirth?.reason ?? '', /before its device birth/);
  });

  it('wraps seq from 255 to 0 without a rebirth', () => {
    const session = new SparkplugSession();
    session.handle(topic('spBv1.0/g/NBIRTH/e'), birth(0, 1), 0);
    let outcome;
    for (let seq = 1; seq <= 260; seq += 1) outcome = session.handle(topic('spBv1.0/g/NDATA/e'), { seq: seq % 256, metrics: [] }, 0);
    assert.equal(outcome?.rebirth, undefined);
  });

  it('marks metrics stale on a death with the matching bdSeq, and ignores a stale death', () => {
    const session = new SparkplugSession();
    session.handle(topic('spBv1.0/g/NBIRTH/e'), birth(0, 4), 0);
    session.handle(topic('spBv1.0/g/DBIRTH/e/d'), { seq: 1, metrics: [{ name: 'Speed', alias: 10, datatype: 3, value: -5 }] }, 0);
    const old = session.handle(topic('spBv1.0/g/NDEATH/e'), { metrics: [{ name: 'bdSeq', value: 3 }] }, 10);
    assert.deepEqual(old.readings, []);
    assert.match(old.notes[0] ?? '', /stale NDEATH/);
    assert.deepEqual(session.onlineNodes(), ['g/e']);
    const death = session.handle(topic('spBv1.0/g/NDEATH/e'), { metrics: [{ name: 'bdSeq', value: 4 }] }, 10);
    assert.deepEqual(death.readings.map((reading) => [reading.address, reading.metric, reading.value, reading.quality]), [
      ['g/e', 'Temperature', 20.5, 'bad'],
      ['g/e', 'State', 'RUNNING', 'bad'],
      ['g/e/d', 'Speed', -5, 'bad'],
    ]);
    assert.deepEqual(session.onlineNodes(), []);
    assert.equal(session.datatypeOf('g', 'e', 'd', 'Speed'), 3);
  });
});
