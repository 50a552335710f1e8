/**
 * The Modbus connector against a Modbus TCP server on loopback: every type and word order decodes
 * right, an exception response marks readings bad, a write reaches the register, and a server that goes away and
 * comes back is reconnected without help.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createCore } from '../../runtime/create-runtime.js';
import { freePort } from '../../../test/support/brokers.js';
import { startModbusServer } from '../../../test/support/modbus-server.js';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';
import { encodeRegisters } from './mapping.js';

const UNIT = 'acme/plant-1/utilities/compressor-1';

function put(holding: Buffer, offset: number, registers: number[]): void {
  registers.forEach((register, index) => holding.writeUInt16BE(register, (offset + index) * 2));
}

describe('Modbus TCP connector', () => {
  it('polls every type and order, marks exceptions bad, dead-letters what cannot be mapped, writes, and recovers from a server restart', async () => {
    const before = resourceCounts();
    const port = await freePort();
    const holding = Buffer.alloc(64 * 2);
    const coils = Array.from({ length: 16 }, () => false);
    const cases = [
      { offset: 0, type: 'int16', byteOrder: 'big', wordOrder: 'big', value: -1234 },
      { offset: 1, type: 'uint16', byteOrder: 'little', wordOrder: 'big', value: 54321 },
      { offset: 2, type: 'int32', byteOrder: 'big', wordOrder: 'little', value: -7654321 },
      { offset: 4, type: 'uint32', byteOrder: 'big', wordOrder: 'big', value: 4000000000 },
      { offset: 6, type: 'float32', byteOrder: 'little', wordOrder: 'little', value: 6.25 },
      { offset: 8, type: 'float64', byteOrder: 'big', wordOrder: 'little', value: -1234.5678 },
    ] as const;
    for (const entry of cases) put(holding, entry.offset, encodeRegisters(entry.value, entry));
    put(holding, 20, [7]); // a mode the state map does not know
    coils[0] = true;
    let server = await startModbusServer(port, holding, coils);

    const dir = mkdtempSync(join(tmpdir(), 'pf-modbus-'));
    const bindings = cases
      .map((entry) => `          - { address: "holding:${entry.offset}", type: ${entry.type}, byteOrder: ${entry.byteOrder}, wordOrder: ${entry.wordOrder}, equipment: ${UNIT}, signal: v-${entry.type}, as: sample }`)
      .join('\n');
    writeFileSync(
      join(dir, 'plant.yaml'),
      `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas: [{ id: utilities, equipment: [{ id: compressor-1 }] }]
connectors:
  - id: compressor
    kind: modbus
    host: 127.0.0.1
    port: ${port}
    timeoutMs: 500
    pollGroups:
      - id: fast
        intervalMs: 50
        bindings:
${bindings}
          - { address: "coil:0", type: bool, equipment: ${UNIT}, signal: overpressure, as: alarm }
          - { address: "holding:20", type: uint16, equipment: ${UNIT}, signal: mode, as: state, enum: { "0": idle, "1": execute } }
      - id: beyond-the-map
        intervalMs: 50
        bindings:
          - { address: "holding:1000", equipment: ${UNIT}, signal: missing, as: sample }
`,
    );
    const core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
    try {
      await core.connectors.start();
      const status = () => core.connectors.status()[0]!;
      const range = (signal: string) => core.stores.historian.range({ equipment: UNIT, signal, from: 0, to: Date.now() + 60_000 });
      for (const entry of cases) {
        const points = await until(`v-${entry.type}`, async () => ((await range(`v-${entry.type}`)).length > 0 ? range(`v-${entry.type}`) : undefined));
        assert.ok(Math.abs(points[0]!.value - entry.value) < 1e-6, `${entry.type} ${entry.byteOrder}/${entry.wordOrder}: ${points[0]!.value}`);
      }
      const rejected = await until('dead letter', async () => (await core.stores.deadLetters.list({ stage: 'connector' }))[0]);
      assert.equal(rejected.code, 'PF_ERR_INGEST_SCHEMA');
      assert.equal(rejected.source.address, 'holding:20');
      assert.deepEqual(JSON.parse(Buffer.from(rejected.raw).toString('utf8')).value, 7, 'the raw register value is kept');
      assert.match(rejected.message, /not in the enum map/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await core.stores.deadLetters.list({ stage: 'connector' })).length, 1, 'a value stuck on bad is reported once, not every poll');

      const raised = await until('alarm', async () => (await core.stores.events.query({ types: ['alarm.raised'] }))[0]);
      assert.equal(raised.data['alarm'], 'overpressure');
      await until('degraded by the exception', () => status().health.state === 'degraded' && status().health.lastError?.message.includes('exception'));
      assert.ok((status().health.details?.['exceptions'] as number) > 0);

      const written = await core.connectors.connector('compressor')!.write!({ address: 'holding:6', value: -2.5 });
      assert.deepEqual(written, { ok: true });
      assert.deepEqual(encodeRegisters(-2.5, cases[4]), [holding.readUInt16BE(12), holding.readUInt16BE(14)], 'the register holds the written value in its layout');
      await until('written value polled back', async () => (await range('v-float32')).some((point) => point.value === -2.5));

      server.failing.add(1);
      const bad = await until('bad quality from an exception', async () => (await range('v-uint16')).find((point) => point.quality === 'bad'));
      assert.equal(bad.value, 54321, 'the last good value, marked bad');
      server.failing.clear();

      await server.close();
      await until('disconnected', () => status().health.state === 'disconnected');
      server = await startModbusServer(port, holding, coils);
      await until('reconnected', () => ['connected', 'degraded'].includes(status().health.state), 15_000);
      put(holding, 0, encodeRegisters(-999, cases[0]));
      await until('value after restart', async () => (await range('v-int16')).some((point) => point.value === -999));
    } finally {
      await core.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
    await assertNothingLeftBehind(before);
  });
});
