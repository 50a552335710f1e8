/**
 * The demo plant's MTConnect agent over real HTTP, fed by the plant model stepped by hand: probe, current (at=),
 * sample paging, device paths, errors, streaming with heartbeats, a restart as a new instance, and a stop that closes
 * every stream and leaves nothing behind. Served documents are validated against the MTConnect 1.7 schemas.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';
import { parseAgentDocument, type Observation, type StreamsDocument } from '../../connectors/mtconnect/documents.js';
import { loadSimConfig } from '../config.js';
import { Plant } from '../model/plant.js';
import type { PlantUpdate, TagUpdate } from '../model/types.js';
import { CncFeed, type CncObservation } from './cnc-feed.js';
import { MtconnectAgent } from './mtconnect-agent.js';

const SCHEMAS = fileURLToPath(new URL('../../../../shared/data/mtconnect/schemas/', import.meta.url));
const CAN_VALIDATE = existsSync(SCHEMAS) && spawnSync('xmllint', ['--version'], { stdio: 'ignore' }).status === 0;

const tagsOf = (updates: readonly PlantUpdate[]): TagUpdate[] => updates.filter((update): update is TagUpdate => update.kind === 'tag');

/** The plant model driving a CNC feed, stepped by hand, and an agent on a free port serving it. */
async function demoAgent(bufferSize: number) {
  const config = await loadSimConfig();
  const plant = new Plant(config);
  const feed = new CncFeed(config);
  feed.publishStep(tagsOf(plant.initial()));
  let now = plant.start;
  const agent = new MtconnectAgent({ host: '127.0.0.1', port: 0, bufferSize, feed, now: () => now });
  const step = (count: number): void => {
    for (let i = 0; i < count; i += 1) {
      now += config.stepMs;
      feed.publishStep(tagsOf(plant.step(now)));
    }
  };
  return { agent, feed, step, start: plant.start, now: () => now };
}

async function fetchText(url: string, init?: RequestInit): Promise<{ status: number; text: string }> {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text() };
}

async function streams(url: string): Promise<StreamsDocument> {
  const { status, text } = await fetchText(url);
  const parsed = parseAgentDocument(text);
  assert.ok(status === 200 && parsed.ok && parsed.document.kind === 'streams', `${url}: ${status} ${text.slice(0, 400)}`);
  return parsed.document;
}

async function agentError(url: string, init?: RequestInit): Promise<string> {
  const { status, text } = await fetchText(url, init);
  const parsed = parseAgentDocument(text);
  assert.ok(parsed.ok && parsed.document.kind === 'error', `${url}: ${text.slice(0, 400)}`);
  return `${status} ${parsed.document.errors.map((error) => error.code).join(',')}`;
}

/** Validates served documents with the standard schemas and the agent's own extension schema. */
async function validate(baseUrl: string, documents: Array<['Devices' | 'Streams' | 'Error', string]>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pf-mtconnect-xsd-'));
  try {
    const served = (await fetchText(`${baseUrl}/schemas/PlantfabricStreams_1.7.xsd`)).text;
    const extension = join(dir, 'extension.xsd');
    writeFileSync(extension, served.replace(/schemaLocation="[^"]*"/, `schemaLocation="${join(SCHEMAS, 'MTConnectStreams_1.7_1.0.xsd')}"`));
    for (const [kind, xml] of documents) {
      const schema = kind === 'Streams' ? extension : join(SCHEMAS, `MTConnect${kind}_1.7_1.0.xsd`);
      const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, '-'], { input: xml, encoding: 'utf8' });
      assert.equal(result.status, 0, `served ${kind} document does not validate:\n${result.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A streaming sample request read part by part (own minimal multipart reading, not the connector's). */
function openStream(url: string): Promise<{ response: IncomingMessage; parts: string[]; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      const boundary = /boundary=([^;]+)/.exec(response.headers['content-type'] ?? '')?.[1];
      if (boundary === undefined) return reject(new Error(`not multipart: ${response.headers['content-type']}`));
      const parts: string[] = [];
      let pending = Buffer.alloc(0);
      let closed = false;
      response.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        for (;;) {
          const text = pending.toString('latin1');
          const match = new RegExp(`^--${boundary}\\r\\nContent-type: text/xml\\r\\nContent-length: (\\d+)\\r\\n\\r\\n`).exec(text);
          if (match === null) return;
          const end = match[0].length + Number(match[1]);
          if (pending.length < end + 2) return;
          parts.push(pending.subarray(match[0].length, end).toString('utf8'));
          pending = pending.subarray(end + 2);
        }
      });
      // A stream cut by the agent ends the response with an error (aborted) or a plain close; both mean closed.
      response.on('error', () => {
        closed = true;
      });
      response.on('close', () => {
        closed = true;
      });
      resolve({ response, parts, closed: () => closed });
    }).on('error', reject);
  });
}

const key = (observation: Pick<Observation, 'dataItemId' | 'ts'> & { value?: string }) => `${observation.dataItemId}|${observation.value ?? ''}|${observation.ts}`;
const truthKey = (observation: CncObservation) =>
  key({ dataItemId: observation.dataItemId, ts: observation.ts, value: observation.condition?.text ?? (observation.condition === undefined ? observation.value : undefined) });

describe('MTConnect agent (demo plant)', () => {
  it('serves probe, current and sample with simulated times, by device path too, and refuses bad requests', async (t) => {
    const before = resourceCounts();
    const { agent, feed, step, start, now } = await demoAgent(256);
    await agent.start();
    try {
      const probe = parseAgentDocument((await fetchText(`${agent.url}/probe`)).text);
      assert.ok(probe.ok && probe.document.kind === 'devices');
      assert.deepEqual(probe.document.devices.map((device) => device.name), ['Agent', 'cnc-1', 'cnc-2']);
      assert.equal(probe.document.instanceId, String(agent.instanceId));
      const oneDevice = parseAgentDocument((await fetchText(`${agent.url}/cnc-2/probe`)).text);
      assert.ok(oneDevice.ok && oneDevice.document.kind === 'devices');
      assert.deepEqual(oneDevice.document.devices.map((device) => device.name), ['Agent', 'cnc-2'], 'the 1.7 schema wants the Agent first');

      step(150);
      const current = await streams(`${agent.url}/current`);
      assert.equal(current.header.nextSequence, agent.nextSequence);
      for (const latest of feed.current()) {
        const served = current.observations.find((observation) => observation.dataItemId === latest.dataItemId);
        assert.ok(served !== undefined && served.ts === latest.ts, `${latest.dataItemId} at its simulated time`);
      }
      assert.ok(current.observations.every((observation) => observation.ts >= start && observation.ts <= now()), 'every timestamp is plant time');
      assert.match((await fetchText(`${agent.url}/current`)).text, new RegExp(`creationTime="${new Date(now()).toISOString()}"`));

      // Paging through the buffer gives every sequence number once, in order.
      const paged: Observation[] = [];
      let from = current.header.firstSequence;
      while (from < current.header.nextSequence) {
        const page = await streams(`${agent.url}/sample?from=${from}&count=37`);
        paged.push(...page.observations);
        assert.ok(page.header.nextSequence > from);
        from = page.header.nextSequence;
      }
      assert.deepEqual(
        paged.map((observation) => observation.sequence),
        Array.from({ length: current.header.nextSequence - current.header.firstSequence }, (_, i) => current.header.firstSequence + i),
      );

      // current?at= is each item as it was then.
      const at = paged[Math.floor(paged.length / 2)]!.sequence;
      const then = await streams(`${agent.url}/current?at=${at}`);
      assert.equal(then.header.nextSequence, at + 1);
      const vibrationThen = paged.filter((observation) => observation.dataItemId === 'cnc-1-spindle-vib' && observation.sequence <= at).at(-1);
      assert.equal(then.observations.find((observation) => observation.dataItemId === 'cnc-1-spindle-vib')?.sequence, vibrationThen?.sequence);

      // A device path keeps to that device.
      const cnc2 = await streams(`${agent.url}/cnc-2/sample?from=${current.header.firstSequence}&count=256`);
      assert.ok(cnc2.observations.length > 0 && cnc2.observations.every((observation) => observation.device === 'cnc-2'));
      assert.ok((await streams(`${agent.url}/cnc-1/current`)).observations.every((observation) => observation.device === 'cnc-1'));

      if (!CAN_VALIDATE) t.diagnostic('served documents not validated: xmllint or ../shared/data/mtconnect/schemas is missing');
      else {
        await validate(agent.url, [
          ['Devices', (await fetchText(`${agent.url}/probe`)).text],
          ['Devices', (await fetchText(`${agent.url}/cnc-1/probe`)).text],
          ['Streams', (await fetchText(`${agent.url}/current`)).text],
          ['Streams', (await fetchText(`${agent.url}/sample?count=200`)).text],
          ['Error', (await fetchText(`${agent.url}/sample?from=0`)).text],
        ]);
      }

      // The buffer overruns: an expired from is OUT_OF_RANGE; bad parameters are INVALID_REQUEST.
      step(300);
      assert.ok((await streams(`${agent.url}/current`)).header.firstSequence > 1);
      assert.equal(await agentError(`${agent.url}/sample?from=1`), '400 OUT_OF_RANGE');
      assert.equal(await agentError(`${agent.url}/sample?from=${agent.nextSequence + 1}`), '400 OUT_OF_RANGE');
      assert.equal(await agentError(`${agent.url}/sample?count=257`), '400 OUT_OF_RANGE');
      assert.equal(await agentError(`${agent.url}/current?at=1`), '400 OUT_OF_RANGE');
      assert.equal(await agentError(`${agent.url}/sample?from=abc`), '400 INVALID_REQUEST');
      assert.equal(await agentError(`${agent.url}/sample?interval=-5`), '400 INVALID_REQUEST');
      assert.equal(await agentError(`${agent.url}/cnc-9/current`), '404 NO_DEVICE');
      assert.equal(await agentError(`${agent.url}/current`, { method: 'POST' }), '405 UNSUPPORTED');
    } finally {
      await agent.stop();
    }
    await assertNothingLeftBehind(before);
  });

  it('streams every observation once, in order, with heartbeats while idle; stop closes the stream', async () => {
    const before = resourceCounts();
    const { agent, feed, step } = await demoAgent(4096);
    await agent.start();
    try {
      const truth: CncObservation[] = [];
      feed.subscribe((observations) => truth.push(...observations.filter((observation) => observation.device === 'cnc-1')));
      const stream = await openStream(`${agent.url}/cnc-1/sample?from=${agent.nextSequence}&interval=0&heartbeat=100&count=50`);
      const documents = (): StreamsDocument[] =>
        stream.parts.map((part) => {
          const parsed = parseAgentDocument(part);
          assert.ok(parsed.ok && parsed.document.kind === 'streams', part.slice(0, 300));
          return parsed.document;
        });
      await until('two heartbeats', () => documents().filter((document) => document.observations.length === 0).length >= 2);

      step(120);
      const streamed = await until('every observation streamed', () => {
        const observations = documents().flatMap((document) => document.observations);
        return observations.length >= truth.length ? observations : undefined;
      });
      assert.ok(truth.length > 120, 'vibration every second and machine events');
      assert.deepEqual(streamed.map(key), truth.map(truthKey));
      assert.deepEqual(
        streamed.map((observation) => observation.sequence),
        [...streamed.map((observation) => observation.sequence)].sort((a, b) => a - b),
      );
      assert.ok(documents().every((document) => document.header.instanceId === String(agent.instanceId)));
      assert.ok(documents().some((document) => document.observations.length === 50), 'parts hold at most count observations');

      await agent.stop();
      await until('stream closed by stop', () => stream.closed());
    } finally {
      await agent.stop();
    }
    await assertNothingLeftBehind(before);
  });

  it('is a new instance after a restart: new instanceId, sequence numbers from 1, current values, the same port', async () => {
    const { agent, feed, step } = await demoAgent(1024);
    await agent.start();
    try {
      step(20);
      const first = await streams(`${agent.url}/current`);
      const url = agent.url;
      await agent.stop();
      step(20); // the plant goes on while the agent is down
      await agent.start();
      assert.equal(agent.url, url);
      const second = await streams(`${agent.url}/current`);
      assert.ok(Number(second.header.instanceId) > Number(first.header.instanceId));
      assert.equal(second.header.firstSequence, 1);
      assert.ok(second.header.nextSequence < first.header.nextSequence + 5, 'numbers start again');
      const vibration = feed.current().find((observation) => observation.dataItemId === 'cnc-1-spindle-vib')!;
      assert.equal(second.observations.find((observation) => observation.dataItemId === 'cnc-1-spindle-vib')?.ts, vibration.ts, 'seeded with the latest value');
    } finally {
      await agent.stop();
    }
  });
});
