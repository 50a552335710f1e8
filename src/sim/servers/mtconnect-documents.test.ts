/**
 * The MTConnect agent's documents: the device model built from the CNC feed, probe/streams/error XML that the
 * project's MTConnect connector reads back as written, and validation against the MTConnect 1.7 schemas with
 * xmllint (the streams with the extension schema for `<x:PackmlState>`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parseAgentDocument } from '../../connectors/mtconnect/documents.js';
import { loadSimConfig } from '../config.js';
import { CncFeed, type CncObservation } from './cnc-feed.js';
import { ObservationBuffer } from './mtconnect-buffer.js';
import { errorDocument, extensionStreamsSchema, probeDocument, streamsDocument, type HeaderFields } from './mtconnect-documents.js';
import { agentStartObservations, buildDeviceModel, componentsOf, observationElement, type DeviceModel } from './mtconnect-model.js';

const SCHEMAS = fileURLToPath(new URL('../../../../shared/data/mtconnect/schemas/', import.meta.url));
const xmllintMissing = spawnSync('xmllint', ['--version'], { stdio: 'ignore' }).status !== 0;
const SKIP_VALIDATION = !existsSync(SCHEMAS)
  ? 'shared data not found: ../shared/data/mtconnect/schemas beside the checkout'
  : xmllintMissing
    ? 'xmllint is not installed (apt-get install libxml2-utils)'
    : false;

const T0 = Date.parse('2026-01-05T04:30:00.000Z');
const HEADER: HeaderFields = { instanceId: 1_767_000_000, sender: 'unit-test', bufferSize: 64, creationTime: T0 + 60_000, deviceModelChangeTime: T0 };

async function demoModel(): Promise<DeviceModel> {
  return buildDeviceModel(new CncFeed(await loadSimConfig()).dataItems());
}

/** A buffer with every item UNAVAILABLE, then a few observations of the kinds the feed writes. */
function filledBuffer(model: DeviceModel): ObservationBuffer {
  const buffer = new ObservationBuffer(64, (id) => model.items.get(id)?.category === 'CONDITION');
  for (const observation of agentStartObservations(model, T0)) buffer.append(observation);
  for (const item of model.items.values()) if (item.device !== 'Agent') buffer.append({ device: item.device, dataItemId: item.id, value: 'UNAVAILABLE', ts: T0 });
  const at = (dataItemId: string, value: string, ts: number, condition?: CncObservation['condition']): CncObservation => ({
    device: dataItemId.slice(0, 5),
    dataItemId,
    value,
    ts,
    ...(condition === undefined ? {} : { condition }),
  });
  buffer.append(at('cnc-1-execution', 'ACTIVE', T0 + 1000));
  buffer.append(at('cnc-1-packml', '6', T0 + 1000));
  buffer.append(at('cnc-1-part-count-good', '41234', T0 + 2000));
  buffer.append(at('cnc-1-spindle-vib', '5.125', T0 + 2000));
  buffer.append(at('cnc-1-message', 'a < b & "c"', T0 + 3000));
  buffer.append(at('cnc-1-system', 'FAULT', T0 + 4000, { level: 'FAULT', nativeCode: 'spindle-bearing-failure', text: 'spindle-bearing-failure' }));
  buffer.append(at('cnc-2-system', 'NORMAL', T0 + 4000, { level: 'NORMAL' }));
  return buffer;
}

const sequences = (buffer: ObservationBuffer) => ({ firstSequence: buffer.firstSequence, lastSequence: buffer.lastSequence, nextSequence: buffer.nextSequence });

describe('MTConnect agent device model', () => {
  it('names observation elements as the standard does, extensions keeping their prefix', () => {
    assert.equal(observationElement('PART_COUNT'), 'PartCount');
    assert.equal(observationElement('PROCESS_AGGREGATE_ID'), 'ProcessAggregateId');
    assert.equal(observationElement('AVAILABILITY'), 'Availability');
    assert.equal(observationElement('x:PACKML_STATE'), 'x:PackmlState');
  });

  it('puts the Agent first, then one Device per CNC with its Controller/Path and, on cnc-1, the spindle as Rotary C', async () => {
    const model = await demoModel();
    assert.equal(model.agent.root.element, 'Agent');
    assert.deepEqual(model.devices.map((device) => device.name), ['cnc-1', 'cnc-2']);
    const cnc1 = componentsOf(model.devices[0]!).map((component) => `${component.element}:${component.name}`);
    assert.deepEqual(cnc1, ['Device:cnc-1', 'Axes:base', 'Rotary:C', 'Controller:controller', 'Path:path']);
    assert.deepEqual(componentsOf(model.devices[1]!).map((component) => component.element), ['Device', 'Controller', 'Path']);
    const vibration = model.items.get('cnc-1-spindle-vib')!;
    assert.deepEqual([vibration.componentId, vibration.type, vibration.statistic, vibration.units], ['cnc-1-spindle', 'VELOCITY', 'ROOT_MEAN_SQUARE', 'MILLIMETER/SECOND']);
    assert.equal(model.items.get('cnc-2-execution')?.componentId, 'cnc-2-path');
    assert.equal(model.items.get('cnc-2-avail')?.componentId, 'cnc-2');
    assert.equal(model.items.has('cnc-2-spindle-vib'), false);
  });
});

describe('MTConnect agent documents', () => {
  it('writes a probe the connector reads: devices, data items, categories, units', async () => {
    const model = await demoModel();
    const parsed = parseAgentDocument(probeDocument([model.agent, ...model.devices], HEADER));
    assert.ok(parsed.ok && parsed.document.kind === 'devices', JSON.stringify(parsed));
    const { document } = parsed;
    assert.equal(document.instanceId, String(HEADER.instanceId));
    assert.deepEqual(document.devices, [
      { name: 'Agent', uuid: 'plantfabric-sim-agent' },
      { name: 'cnc-1', uuid: 'plantfabric-sim-cnc-1' },
      { name: 'cnc-2', uuid: 'plantfabric-sim-cnc-2' },
    ]);
    const byId = new Map(document.dataItems.map((item) => [item.id, item]));
    assert.deepEqual([byId.get('cnc-1-system')?.category, byId.get('cnc-1-system')?.type, byId.get('cnc-1-system')?.component], ['CONDITION', 'SYSTEM', 'Path']);
    assert.deepEqual([byId.get('cnc-1-spindle-vib')?.units, byId.get('cnc-1-spindle-vib')?.component], ['MILLIMETER/SECOND', 'Rotary']);
    assert.equal(byId.get('cnc-2-packml')?.type, 'x:PACKML_STATE');
    assert.equal(byId.get('cnc-1-part-count-bad')?.subType, 'BAD');
    assert.equal(document.dataItems.filter((item) => item.device === 'cnc-1').length, 10);
    assert.equal(document.dataItems.filter((item) => item.device === 'cnc-2').length, 9);
  });

  it('writes streams the connector reads back value for value, with the simulated timestamps', async () => {
    const model = await demoModel();
    const buffer = filledBuffer(model);
    const xml = streamsDocument(model, [model.agent, ...model.devices], { ...HEADER, ...sequences(buffer) }, buffer.current());
    const parsed = parseAgentDocument(xml);
    assert.ok(parsed.ok && parsed.document.kind === 'streams', JSON.stringify(parsed));
    const { header, observations } = parsed.document;
    assert.deepEqual(header, { instanceId: String(HEADER.instanceId), ...sequences(buffer) });
    const of = (id: string) => observations.find((observation) => observation.dataItemId === id)!;
    assert.deepEqual([of('cnc-1-execution').value, of('cnc-1-execution').ts, of('cnc-1-execution').element], ['ACTIVE', T0 + 1000, 'Execution']);
    assert.deepEqual([of('cnc-1-packml').value, of('cnc-1-packml').element, of('cnc-1-packml').category], ['6', 'PackmlState', 'EVENT']);
    assert.deepEqual([of('cnc-1-spindle-vib').value, of('cnc-1-spindle-vib').category], ['5.125', 'SAMPLE']);
    assert.equal(of('cnc-1-message').value, 'a < b & "c"', 'text is escaped and comes back as written');
    const fault = of('cnc-1-system');
    assert.deepEqual(
      [fault.category, fault.element, fault.nativeCode, fault.value, fault.conditionType, fault.ts],
      ['CONDITION', 'Fault', 'spindle-bearing-failure', 'spindle-bearing-failure', 'SYSTEM', T0 + 4000],
    );
    assert.equal(of('cnc-2-system').element, 'Normal');
    assert.equal(of('cnc-2-cycle-time').value, 'UNAVAILABLE');
    assert.match(xml, /timestamp="2026-01-05T04:30:04\.000Z"/, 'ISO 8601 UTC with milliseconds');
    assert.deepEqual(
      observations.map((observation) => observation.sequence),
      [...observations.map((observation) => observation.sequence)].sort((a, b) => a - b),
    );
  });

  it('writes an empty Streams for a heartbeat and MTConnectError with the code', async () => {
    const model = await demoModel();
    const heartbeat = parseAgentDocument(streamsDocument(model, model.devices, { ...HEADER, firstSequence: 5, lastSequence: 9, nextSequence: 10 }, []));
    assert.ok(heartbeat.ok && heartbeat.document.kind === 'streams');
    assert.deepEqual(heartbeat.document.observations, []);
    const error = parseAgentDocument(errorDocument(HEADER, 'OUT_OF_RANGE', "'from' must be greater than or equal to 5"));
    assert.ok(error.ok && error.document.kind === 'error');
    assert.deepEqual(error.document, { kind: 'error', instanceId: String(HEADER.instanceId), errors: [{ code: 'OUT_OF_RANGE', message: "'from' must be greater than or equal to 5" }] });
  });

  it('validates against the MTConnect 1.7 schemas (streams with the extension schema)', { skip: SKIP_VALIDATION }, async () => {
    const model = await demoModel();
    const buffer = filledBuffer(model);
    const dir = mkdtempSync(join(tmpdir(), 'pf-mtconnect-xsd-'));
    try {
      const extension = join(dir, 'PlantfabricStreams_1.7.xsd');
      writeFileSync(extension, extensionStreamsSchema(model, join(SCHEMAS, 'MTConnectStreams_1.7_1.0.xsd')));
      const all = [model.agent, ...model.devices];
      const checks: Array<[string, string, string]> = [
        ['probe', join(SCHEMAS, 'MTConnectDevices_1.7_1.0.xsd'), probeDocument(all, HEADER)],
        ['probe of one device', join(SCHEMAS, 'MTConnectDevices_1.7_1.0.xsd'), probeDocument([model.agent, model.devices[1]!], HEADER)],
        ['current', extension, streamsDocument(model, all, { ...HEADER, ...sequences(buffer) }, buffer.current())],
        ['sample', extension, streamsDocument(model, model.devices, { ...HEADER, ...sequences(buffer) }, buffer.slice(20, 10).entries)],
        ['heartbeat', extension, streamsDocument(model, all, { ...HEADER, ...sequences(buffer) }, [])],
        ['error', join(SCHEMAS, 'MTConnectError_1.7_1.0.xsd'), errorDocument(HEADER, 'INVALID_REQUEST', "'count' must be a whole number")],
      ];
      for (const [what, schema, xml] of checks) {
        const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, '-'], { input: xml, encoding: 'utf8' });
        assert.equal(result.status, 0, `${what} does not validate:\n${result.stderr}\n${xml}`);
      }
      // The extension element is only valid because the extension schema declares it.
      const withoutExtension = spawnSync('xmllint', ['--noout', '--nonet', '--schema', join(SCHEMAS, 'MTConnectStreams_1.7_1.0.xsd'), '-'], {
        input: streamsDocument(model, all, { ...HEADER, ...sequences(buffer) }, buffer.current()),
        encoding: 'utf8',
      });
      assert.notEqual(withoutExtension.status, 0);
      assert.match(withoutExtension.stderr, /PackmlState/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
