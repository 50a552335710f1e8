/**
 * The utility unit read by a real Modbus client (jsmodbus over a socket): the register map as documented, values the
 * model writes, a read outside the map answered with exception 2, and a kill and restart on the same port.
 */
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { before, describe, it } from 'node:test';
import Modbus from 'jsmodbus';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';
import { loadSimConfig, type SimConfig } from '../config.js';
import { Plant } from '../model/plant.js';
import { ModbusUtilityUnit, utilityRegisterMap } from './modbus-unit.js';

interface Client {
  holding(start: number, count: number): Promise<Buffer>;
  coils(start: number, count: number): Promise<boolean[]>;
  close(): void;
}

function connect(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const client = new Modbus.client.TCP(socket, 1, 2000);
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        holding: async (start, count) => Buffer.from((await client.readHoldingRegisters(start, count)).response.body.valuesAsBuffer),
        coils: async (start, count) => Array.from((await client.readCoils(start, count)).response.body.valuesAsArray as ArrayLike<number | boolean>, Boolean).slice(0, count),
        close: () => socket.destroy(),
      }),
    );
    socket.connect(port, '127.0.0.1');
  });
}

describe('ModbusUtilityUnit', () => {
  let config: SimConfig;
  before(async () => {
    config = structuredClone(await loadSimConfig());
    config.endpoints.modbus.port = 0;
  });

  it('serves the utilities as documented and comes back on the same port after a kill', async () => {
    const before = resourceCounts();
    const plant = new Plant(config);
    const unit = new ModbusUtilityUnit(config);
    const feed = (updates: ReturnType<Plant['step']>): void => {
      for (const update of updates) if (update.kind === 'tag') unit.apply(update);
    };
    feed(plant.initial());
    for (let step = 1; step <= 120; step += 1) feed(plant.step(plant.start + step * 1000));
    await unit.start();
    let client = await connect(unit.port);
    try {
      assert.deepEqual(utilityRegisterMap(config).map((entry) => `${entry.address} ${entry.machine}.${entry.tag} ${entry.type}`), [
        'holding:0 compressor-1.Pressure float32',
        'holding:2 compressor-1.Power float32',
        'holding:4 power-meter-1.Power float32',
        'holding:6 power-meter-1.Energy uint32',
        'coil:0 compressor-1.Running bool',
      ]);
      const registers = await client.holding(0, 8);
      const close = (actual: number, expected: unknown): void => assert.ok(Math.abs(actual - Number(expected)) < 1e-3, `${actual} vs ${String(expected)}`);
      close(registers.readFloatBE(0), plant.tag('compressor-1', 'Pressure'));
      close(registers.readFloatBE(4), plant.tag('compressor-1', 'Power'));
      close(registers.readFloatBE(8), plant.tag('power-meter-1', 'Power'));
      assert.equal(registers.readUInt32BE(12), plant.tag('power-meter-1', 'Energy'));
      assert.deepEqual(await client.coils(0, 1), [plant.tag('compressor-1', 'Running')]);
      const pressure = registers.readFloatBE(0);
      assert.ok(pressure > 5 && pressure < 8, `pressure ${pressure} bar`);

      await assert.rejects(client.holding(6, 4), (error: { err?: string; response?: { body?: { code?: number } } }) => error.err === 'ModbusException' && error.response?.body?.code === 2);

      const port = unit.port;
      await unit.stop();
      client.close();
      await assert.rejects(connect(port), 'nothing listens while killed');
      for (let step = 121; step <= 600; step += 1) feed(plant.step(plant.start + step * 1000));
      await unit.start();
      assert.equal(unit.port, port);
      client = await connect(port);
      const energy = await until('energy after restart', async () => (await client.holding(6, 2)).readUInt32BE(0));
      assert.equal(energy, plant.tag('power-meter-1', 'Energy'), 'the registers kept following the model while it was down');
    } finally {
      client.close();
      await unit.stop();
    }
    await assertNothingLeftBehind(before);
  });
});
