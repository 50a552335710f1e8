import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAgentDocument, type AgentDocument } from './documents.js';

/** The recorded cppagent answers in ../shared/data (beside the checkout), read in place. */
const SHARED = fileURLToPath(new URL('../../../../shared/data/mtconnect/', import.meta.url));
const skip = existsSync(SHARED) ? false : `shared data not found at ${SHARED} (../shared/data/mtconnect beside the checkout)`;

function parsed(xml: string | Uint8Array): AgentDocument {
  const result = parseAgentDocument(xml);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.document;
}

const streams = (body: string, header = 'instanceId="7" nextSequence="10" firstSequence="1" lastSequence="9"') =>
  `<?xml version="1.0"?><MTConnectStreams xmlns="urn:mtconnect.org:MTConnectStreams:1.7"><Header creationTime="2026-01-01T00:00:00Z" sender="a" version="1.7" bufferSize="16" ${header}/><Streams>${body}</Streams></MTConnectStreams>`;

describe('MTConnect documents', () => {
  it('learns devices and data items from the recorded probe', { skip }, () => {
    const document = parsed(readFileSync(`${SHARED}recorded/probe.xml`));
    assert.equal(document.kind, 'devices');
    if (document.kind !== 'devices') return;
    assert.equal(document.instanceId, '1795350085');
    assert.deepEqual(document.devices, [
      { name: 'Agent', uuid: '0b49a3a0-18ca-0139-8748-2cde48001122' },
      { name: 'VMC-3Axis', uuid: '000' },
    ]);
    const xact = document.dataItems.find((item) => item.id === 'x2');
    assert.deepEqual(xact, {
      id: 'x2', name: 'Xact', category: 'SAMPLE', type: 'POSITION', subType: 'ACTUAL', units: 'MILLIMETER',
      device: 'VMC-3Axis', deviceUuid: '000', component: 'Linear', componentId: 'x1',
    });
    assert.equal(document.dataItems.find((item) => item.id === 'Xloadc')?.category, 'CONDITION');
    assert.equal(document.dataItems.find((item) => item.id === 'cn6')?.type, 'EXECUTION');
    assert.equal(document.dataItems.find((item) => item.id === 'filter')?.type, 'x:FILTER', 'extension types keep their prefix');
    assert.equal(document.dataItems.filter((item) => item.device === 'VMC-3Axis').length, 46);
  });

  it('reads a 1.1 device model (devices/haas.xml) the same way', { skip }, () => {
    const document = parsed(readFileSync(`${SHARED}devices/haas.xml`));
    assert.ok(document.kind === 'devices');
    assert.deepEqual(document.dataItems.find((item) => item.id === 'PartCount'), {
      id: 'PartCount', category: 'EVENT', type: 'PART_COUNT', device: 'Haas_1', deviceUuid: '000', component: 'Path', componentId: 'pth',
    });
  });

  it('reads the recorded current: header, values, conditions, in sequence order', { skip }, () => {
    const document = parsed(readFileSync(`${SHARED}recorded/current.xml`));
    assert.ok(document.kind === 'streams');
    assert.deepEqual(document.header, { instanceId: '1795350085', nextSequence: 268, firstSequence: 1, lastSequence: 267 });
    const sequences = document.observations.map((observation) => observation.sequence);
    assert.deepEqual(sequences, [...sequences].sort((a, b) => a - b));
    const xact = document.observations.find((observation) => observation.dataItemId === 'x2');
    assert.deepEqual(xact, {
      device: 'VMC-3Axis', deviceUuid: '000', dataItemId: 'x2', sequence: 266, ts: Date.parse('2026-11-22T12:21:33.632Z'),
      category: 'SAMPLE', element: 'Position', value: '-15.775',
    });
    const warning = document.observations.find((observation) => observation.dataItemId === 'Xloadc');
    assert.deepEqual(warning, {
      device: 'VMC-3Axis', deviceUuid: '000', dataItemId: 'Xloadc', sequence: 219, ts: Date.parse('2026-11-22T12:21:32.029Z'),
      category: 'CONDITION', element: 'Warning', value: 'X axis load high', nativeCode: 'X101', nativeSeverity: '2', conditionType: 'LOAD',
    });
    const unavailable = document.observations.find((observation) => observation.dataItemId === 'Xsystem');
    assert.equal(unavailable?.element, 'Unavailable');
    assert.equal(unavailable?.value, undefined, 'an empty condition has no value');
    assert.equal(document.observations.find((observation) => observation.dataItemId === 'cn6')?.value, 'ACTIVE');
  });

  it('reads an empty Streams (a heartbeat) and escaped text', () => {
    const heartbeat = parsed(streams(''));
    assert.ok(heartbeat.kind === 'streams');
    assert.deepEqual(heartbeat.observations, []);
    const message = parsed(
      streams('<DeviceStream name="M" uuid="m"><ComponentStream component="Controller" componentId="c"><Events><Message dataItemId="msg" sequence="3" timestamp="2026-01-01T00:00:00.5Z">a &lt; b &amp; c</Message></Events></ComponentStream></DeviceStream>'),
    );
    assert.ok(message.kind === 'streams');
    assert.equal(message.observations[0]?.value, 'a < b & c');
    assert.equal(message.observations[0]?.ts, Date.parse('2026-01-01T00:00:00.500Z'));
  });

  it('reads MTConnectError documents of 1.1+ (Errors) and 1.0 (one Error)', () => {
    const current = parsed(
      '<MTConnectError xmlns="urn:mtconnect.org:MTConnectError:1.7"><Header creationTime="2026-01-01T00:00:00Z" sender="a" instanceId="42" version="1.7" bufferSize="16"/><Errors><Error errorCode="OUT_OF_RANGE">\'from\' must be greater than 99</Error></Errors></MTConnectError>',
    );
    assert.deepEqual(current, { kind: 'error', instanceId: '42', errors: [{ code: 'OUT_OF_RANGE', message: "'from' must be greater than 99" }] });
    const old = parsed('<MTConnectError><Header instanceId="1"/><Error errorCode="NO_DEVICE">no such device</Error></MTConnectError>');
    assert.deepEqual(old, { kind: 'error', instanceId: '1', errors: [{ code: 'NO_DEVICE', message: 'no such device' }] });
  });

  it('refuses what is not a usable MTConnect document, with the reason', () => {
    const reason = (xml: string | Uint8Array) => {
      const result = parseAgentDocument(xml);
      assert.equal(result.ok, false);
      return result.ok ? '' : result.message;
    };
    const good = streams('');
    assert.match(reason(good.slice(0, good.length / 2)), /not well-formed XML/);
    assert.match(reason('<html><body>502 Bad Gateway</body></html>'), /root element html is not an MTConnect document/);
    assert.match(reason(streams('', 'instanceId="7" firstSequence="1" lastSequence="9"')), /lacks the nextSequence attribute/);
    assert.match(reason(streams('', 'instanceId="7" nextSequence="x" firstSequence="1" lastSequence="9"')), /not a sequence number/);
    assert.match(
      reason(streams('<DeviceStream name="M" uuid="m"><ComponentStream component="Path" componentId="p"><Samples><Position dataItemId="x" sequence="2" timestamp="yesterday">1</Position></Samples></ComponentStream></DeviceStream>')),
      /timestamp "yesterday"/,
    );
    assert.match(reason(new Uint8Array([0x3c, 0xff, 0xfe])), /not UTF-8/);
    assert.match(reason('  '), /empty/);
  });
});
