/**
 * The MTConnect connector against a real HTTP agent on loopback (test/support/mtconnect-agent.ts), built from the
 * device models and the answers recorded from the reference cppagent in ../shared/data/mtconnect. Polling and
 * streaming; samples, events and conditions as canonical data; agent restarts, buffer overruns, OUT_OF_RANGE and a
 * malformed document handled and reported; stop() leaves no socket or timer behind.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createCore, type Core } from '../../runtime/create-runtime.js';
import { freePort } from '../../../test/support/brokers.js';
import { sharedMtconnectData, startMtconnectAgent, type MtconnectTestAgent } from '../../../test/support/mtconnect-agent.js';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';

const SHARED = sharedMtconnectData();
const NO_DATA = SHARED === undefined ? 'shared data not found: ../shared/data/mtconnect beside the checkout (see its README)' : false;
const VMC = 'acme/plant-1/machining/cell-1/vmc-1';
const HAAS = 'acme/plant-1/machining/cell-1/haas-1';

function plantYaml(url: string, connector: string): string {
  return `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas:
      - id: machining
        lines:
          - id: cell-1
            equipment: [{ id: vmc-1 }, { id: haas-1 }]
connectors:
  - id: agent
    kind: mtconnect
    url: ${url}
${connector}`;
}

interface Running {
  core: Core;
  health: () => { state: string; lastError?: { message: string }; details?: Record<string, unknown> };
  events: (type: string) => Promise<Array<{ data: Record<string, unknown>; subject: { equipment?: string }; occurredAt: string; quality: string }>>;
  points: (equipment: string, signal: string) => Promise<Array<{ ts: number; value: number; quality: string }>>;
}

async function startCore(dir: string, yaml: string): Promise<Running> {
  writeFileSync(join(dir, 'plant.yaml'), yaml);
  const core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
  await core.connectors.start();
  return {
    core,
    health: () => core.connectors.status()[0]!.health,
    events: (type) => core.stores.events.query({ types: [type] }),
    points: (equipment, signal) => core.stores.historian.range({ equipment, signal, from: 0, to: Date.now() + 3_600_000 }),
  };
}

const lostRanges = (run: Running) => (run.health().details?.['lostRanges'] ?? []) as Array<Record<string, unknown>>;
const caughtUp = (run: Running, agent: MtconnectTestAgent) => run.health().details?.['nextSequence'] === agent.nextSequence && run.health().state === 'connected';

function xmllint(): boolean {
  return spawnSync('xmllint', ['--version'], { stdio: 'ignore' }).status === 0;
}

describe('MTConnect connector', () => {
  it('serves documents that validate against the MTConnect 1.7 schemas', { skip: NO_DATA || (xmllint() ? false : 'xmllint is not installed (apt-get install libxml2-utils; CI installs it)') }, async () => {
    for (const model of [{ devicesFile: `${SHARED}recorded/probe.xml`, currentFile: `${SHARED}recorded/current.xml` }, { devicesFile: `${SHARED}devices/haas.xml` }]) {
      const agent = await startMtconnectAgent({ ...model, port: await freePort() });
      try {
        const condition = model.currentFile === undefined ? 'servo' : 'Xloadc';
        agent.push({ dataItemId: condition, level: 'Fault', nativeCode: 'F1', nativeSeverity: '3', value: 'a < b & "c"' }, { dataItemId: condition, level: 'Normal', nativeCode: 'F1' });
        const documents = agent.documents();
        const checks: Array<[string, string]> = [['Streams', documents.current], ['Streams', documents.sample], ['Streams', documents.heartbeat], ['Error', documents.error]];
        if (model.currentFile !== undefined) checks.push(['Devices', documents.probe]);
        for (const [kind, xml] of checks) {
          const result = spawnSync('xmllint', ['--noout', '--schema', `${SHARED}schemas/MTConnect${kind}_1.7_1.0.xsd`, '-'], { input: xml, encoding: 'utf8' });
          assert.equal(result.status, 0, `${kind} document of ${model.devicesFile} does not validate:\n${result.stderr}`);
        }
      } finally {
        await agent.close();
      }
    }
  });

  it('polls the recorded VMC: probe, samples, events, a condition Warning → Normal, malformed XML, OUT_OF_RANGE, an agent restart', { skip: NO_DATA }, async () => {
    const before = resourceCounts();
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'pf-mtconnect-'));
    let agent: MtconnectTestAgent | undefined;
    let run: Running | undefined;
    try {
      run = await startCore(dir, plantYaml(`http://127.0.0.1:${port}`, `    mode: poll
    intervalMs: 20
    timeoutMs: 2000
    bindings:
      - { dataItemId: x2, device: VMC-3Axis, equipment: ${VMC}, signal: x-position, as: sample }
      - { dataItemId: c2, equipment: ${VMC}, signal: spindle-speed, as: sample }
      - { dataItemId: cn6, equipment: ${VMC}, signal: execution, as: state }
      - { dataItemId: cn3, equipment: ${VMC}, signal: controller-mode, as: event, eventType: signal.value.changed }
      - { dataItemId: Xloadc, equipment: ${VMC}, signal: x-axis-load, as: alarm }
`));
      const started = run;
      // No agent yet: start() resolved anyway, and health says why nothing arrives.
      await until('disconnected without an agent', () => started.health().state === 'disconnected' && started.health().lastError?.message.includes(`127.0.0.1:${port}`));
      agent = await startMtconnectAgent({ devicesFile: `${SHARED}recorded/probe.xml`, currentFile: `${SHARED}recorded/current.xml`, port });
      const live = agent;
      await until('connected', () => started.health().state === 'connected', 15_000);
      const details = started.health().details!;
      assert.deepEqual(details['devices'], ['Agent', 'VMC-3Axis'], 'probe learned the devices');
      assert.equal(details['instanceId'], live.instanceId);
      assert.deepEqual(details['bindingProblems'], []);

      // The starting point from current: the recorded values, at the recorded times.
      const recorded = await until('recorded x position', async () => (await started.points(VMC, 'x-position'))[0]);
      assert.deepEqual(recorded, { ts: Date.parse('2026-11-22T12:21:33.632Z'), value: -15.775, quality: 'good' });
      assert.equal((await until('spindle speed', async () => (await started.points(VMC, 'spindle-speed'))[0])).value, 1215.6);
      const raised = await until('X axis load warning', async () => (await started.events('alarm.raised'))[0]);
      assert.equal(raised.subject.equipment, VMC);
      assert.equal(raised.occurredAt, '2026-11-22T12:21:32.029Z');
      assert.deepEqual(raised.data, { alarm: 'x-axis-load:X101', severity: 500, level: 'warning', message: 'X axis load high', nativeCode: 'X101', nativeSeverity: '2', conditionType: 'LOAD' });
      assert.deepEqual((await until('execution', async () => (await started.events('equipment.state.changed'))[0])).data, { state: 'execute' });
      assert.deepEqual((await until('controller mode', async () => (await started.events('signal.value.changed'))[0])).data, { signal: 'controller-mode', value: 'AUTOMATIC' });

      // Streaming by sequence: new observations arrive as canonical data.
      const t1 = Date.UTC(2026, 10, 22, 13);
      live.push({ dataItemId: 'x2', value: '12.5', at: t1 }, { dataItemId: 'cn6', value: 'READY', at: t1 + 1 }, { dataItemId: 'Xloadc', level: 'Normal', at: t1 + 2 });
      live.push({ dataItemId: 'x2', value: 'UNAVAILABLE', at: t1 + 3 });
      const cleared = await until('alarm cleared', async () => (await started.events('alarm.cleared'))[0]);
      assert.deepEqual(cleared.data, { alarm: 'x-axis-load:X101', nativeCode: 'X101' });
      assert.equal(cleared.occurredAt, new Date(t1 + 2).toISOString());
      assert.deepEqual((await until('ready', async () => (await started.events('equipment.state.changed'))[1])).data, { state: 'idle', previousState: 'execute' });
      const stale = await until('unavailable x position', async () => (await started.points(VMC, 'x-position')).find((point) => point.ts === t1 + 3));
      assert.deepEqual(stale, { ts: t1 + 3, value: 12.5, quality: 'bad' }, 'UNAVAILABLE repeats the last value as bad');

      // A malformed answer is a dead letter with its bytes; the same range is asked again, so nothing is lost.
      live.malformNext();
      live.push({ dataItemId: 'x2', value: '13', at: t1 + 4 });
      const letter = await until('dead letter', async () => (await started.core.stores.deadLetters.list({ stage: 'connector' })).find((entry) => entry.code === 'PF_ERR_INGEST_DECODE'));
      assert.deepEqual(Buffer.from(letter.raw), live.malformedServed[0]);
      assert.match(letter.message, /not well-formed XML/);
      assert.match(letter.source.address ?? '', /^\/sample\?from=\d+/);
      await until('value after the malformed answer', async () => (await started.points(VMC, 'x-position')).some((point) => point.value === 13));
      assert.equal(started.health().details?.['malformedDocuments'], 1);

      // OUT_OF_RANGE: the observations we wanted left the buffer before we asked; reported, then resumed from current.
      await until('caught up', () => caughtUp(started, live));
      const dropped = live.overrun({ dataItemId: 'x2', value: '20', at: t1 + 5 }, { dataItemId: 'x2', value: '21', at: t1 + 6 });
      const lost = await until('lost range', () => lostRanges(started).find((range) => range['reason'] === 'out-of-range'));
      assert.deepEqual([lost['from'], lost['to'], lost['instanceId']], [dropped.from, dropped.to, live.instanceId]);
      assert.equal(started.health().details?.['lostObservations'], 2);
      await until('latest value from current', async () => (await started.points(VMC, 'x-position')).some((point) => point.value === 21));
      assert.ok(!(await started.points(VMC, 'x-position')).some((point) => point.value === 20), 'a lost observation is not invented');
      await until('connected after the gap', () => started.health().state === 'connected');

      // An agent restart: a new instanceId, sequence numbers from 1; probe and current again, then data flows.
      const previous = live.instanceId;
      live.restart();
      await until('restart reported', () => started.health().details?.['agentRestarts'] === 1);
      assert.deepEqual((started.health().details?.['lastRestart'] as Record<string, unknown>)['previousInstanceId'], previous);
      await until('following the new instance', () => started.health().details?.['instanceId'] === live.instanceId && caughtUp(started, live));
      live.push({ dataItemId: 'x2', value: '30', at: t1 + 7 });
      await until('value after restart', async () => (await started.points(VMC, 'x-position')).some((point) => point.value === 30));
      assert.ok(started.health().lastError?.message.includes('agent restarted'), 'the last error tells the restart');
    } finally {
      await run?.core.close();
      await agent?.close();
      rmSync(dir, { recursive: true, force: true });
    }
    await assertNothingLeftBehind(before);
  });

  it('streams a Haas model: heartbeats, counts, states, a fault, silence, a buffer overrun, a malformed part, a restart', { skip: NO_DATA }, async () => {
    const before = resourceCounts();
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'pf-mtconnect-'));
    const agent = await startMtconnectAgent({ devicesFile: `${SHARED}devices/haas.xml`, port });
    let run: Running | undefined;
    try {
      run = await startCore(dir, plantYaml(agent.url, `    intervalMs: 10
    heartbeatMs: 200
    timeoutMs: 1000
    bindings:
      - { dataItemId: PartCount, device: Haas_1, equipment: ${HAAS}, signal: parts, as: count }
      - { dataItemId: c3, equipment: ${HAAS}, signal: execution, as: state }
      - { dataItemId: s1, equipment: ${HAAS}, signal: spindle-speed, as: sample }
      - { dataItemId: servo, equipment: ${HAAS}, signal: servo, as: alarm }
`));
      const started = run;
      await until('connected', () => started.health().state === 'connected');
      assert.equal(started.health().details?.['mode'], 'stream', 'streaming is the default');
      await until('heartbeats', () => (started.health().details?.['heartbeats'] as number) >= 2);
      assert.equal(agent.streamsOpened, 1, 'heartbeats keep one stream alive');

      agent.push({ dataItemId: 'PartCount', value: '100' }, { dataItemId: 'c3', value: 'ACTIVE' }, { dataItemId: 's1', value: '1200' });
      agent.push({ dataItemId: 'PartCount', value: '105' }, { dataItemId: 'servo', level: 'Fault', nativeCode: 'S1', value: 'servo fault' });
      agent.push({ dataItemId: 'servo', level: 'Normal', nativeCode: 'S1' });
      const count = await until('count', async () => (await started.events('production.count.recorded'))[0]);
      assert.deepEqual([count.data, count.subject.equipment], [{ good: 5, total: 105 }, HAAS]);
      assert.deepEqual((await until('state', async () => (await started.events('equipment.state.changed')).find((event) => event.data['state'] === 'execute'))).subject.equipment, HAAS);
      assert.equal((await until('sample', async () => (await started.points(HAAS, 'spindle-speed'))[0])).value, 1200);
      const fault = await until('fault', async () => (await started.events('alarm.raised'))[0]);
      assert.deepEqual([fault.data['alarm'], fault.data['severity'], fault.data['message']], ['servo:S1', 900, 'servo fault']);
      await until('fault cleared', async () => (await started.events('alarm.cleared'))[0]);

      // Silence (no data, no heartbeat) reopens the stream.
      agent.mute(true);
      await until('silence noticed', () => started.health().lastError?.message.includes('no data or heartbeat') || started.health().lastError?.message.includes('no answer'));
      agent.mute(false);
      await until('streaming again', () => caughtUp(started, agent));
      assert.ok(agent.streamsOpened >= 2);

      // A buffer overrun: the agent's firstSequence jumps past what we wanted; the gap is measured and reported.
      const dropped = agent.overrun({ dataItemId: 'PartCount', value: '110' }, { dataItemId: 's1', value: '1300' });
      const lost = await until('lost range', () => lostRanges(started).find((range) => range['reason'] === 'buffer-overrun'));
      assert.deepEqual([lost['from'], lost['to'], lost['firstAvailable']], [dropped.from, dropped.to, dropped.to + 1]);
      await until('count from current', async () => (await started.events('production.count.recorded')).some((event) => event.data['total'] === 110));
      await until('sample from current', async () => (await started.points(HAAS, 'spindle-speed')).some((point) => point.value === 1300));

      // A malformed part: dead-lettered; the stream is reopened from the same sequence.
      await until('caught up', () => caughtUp(started, agent));
      agent.malformNext();
      const letter = await until('dead letter', async () => (await started.core.stores.deadLetters.list({ stage: 'connector' })).find((entry) => entry.code === 'PF_ERR_INGEST_DECODE'));
      assert.deepEqual(Buffer.from(letter.raw), agent.malformedServed[0]);
      agent.push({ dataItemId: 'PartCount', value: '111' });
      await until('count after the malformed part', async () => (await started.events('production.count.recorded')).some((event) => event.data['total'] === 111));

      // A restart closes the stream; the new instance is probed and followed.
      agent.restart();
      await until('restart reported', () => started.health().details?.['agentRestarts'] === 1 && started.health().details?.['instanceId'] === agent.instanceId);
      const stale = await until('execution unavailable after restart', async () => (await started.events('equipment.state.changed')).find((event) => event.quality === 'bad'));
      assert.deepEqual(stale.data, { state: 'execute', status: 'UNAVAILABLE' });
      agent.push({ dataItemId: 'c3', value: 'READY' });
      await until('state after restart', async () => (await started.events('equipment.state.changed')).some((event) => event.data['state'] === 'idle'));
    } finally {
      await run?.core.close();
      await agent.close();
      rmSync(dir, { recursive: true, force: true });
    }
    await assertNothingLeftBehind(before);
  });

  it('is degraded, naming the binding, while a binding does not fit the device model; the others keep working', { skip: NO_DATA }, async () => {
    const before = resourceCounts();
    const dir = mkdtempSync(join(tmpdir(), 'pf-mtconnect-'));
    const agent = await startMtconnectAgent({ devicesFile: `${SHARED}devices/haas.xml`, port: await freePort() });
    let run: Running | undefined;
    try {
      run = await startCore(dir, plantYaml(agent.url, `    mode: poll
    intervalMs: 20
    bindings:
      - { dataItemId: PartCount, equipment: ${HAAS}, signal: parts, as: count }
      - { dataItemId: spindle-temp, equipment: ${HAAS}, signal: spindle-temp, as: sample }
      - { dataItemId: servo, equipment: ${HAAS}, signal: servo, as: state }
      - { dataItemId: c3, device: VMC-3Axis, equipment: ${HAAS}, signal: execution, as: state }
`));
      const started = run;
      await until('degraded', () => started.health().state === 'degraded' && started.health().details?.['bindingProblems']);
      assert.equal(started.health().lastError?.message, "binding spindle-temp: the agent's probe has no such data item");
      assert.deepEqual(started.health().details?.['bindingProblems'], [
        "binding spindle-temp: the agent's probe has no such data item",
        'binding servo: a CONDITION data item maps only as: alarm',
        "binding VMC-3Axis/c3: the agent's probe has no such data item",
      ]);
      agent.push({ dataItemId: 'PartCount', value: '1' });
      agent.push({ dataItemId: 'PartCount', value: '4' });
      const count = await until('count', async () => (await started.events('production.count.recorded'))[0]);
      assert.deepEqual(count.data, { good: 3, total: 4 });
    } finally {
      await run?.core.close();
      await agent.close();
      rmSync(dir, { recursive: true, force: true });
    }
    await assertNothingLeftBehind(before);
  });
});
