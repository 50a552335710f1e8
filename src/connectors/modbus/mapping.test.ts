import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModbusBinding, ModbusType } from './config.js';
import { decodeRegisters, encodeRegisters, exceptionName, planReads } from './mapping.js';

const layout = (type: ModbusType, byteOrder: 'big' | 'little' = 'big', wordOrder: 'big' | 'little' = 'big') => ({ type, byteOrder, wordOrder });
const wire = (registers: number[]) => Buffer.from(registers.flatMap((register) => [register >> 8, register & 0xff]));

describe('Modbus register layouts', () => {
  it('decodes known byte patterns in every order', () => {
    // 123456.0 as float32 is 0x47F12000: ABCD = [0x47F1, 0x2000].
    assert.equal(decodeRegisters(wire([0x47f1, 0x2000]), 0, layout('float32')), 123456);
    assert.equal(decodeRegisters(wire([0x2000, 0x47f1]), 0, layout('float32', 'big', 'little')), 123456, 'CDAB');
    assert.equal(decodeRegisters(wire([0xf147, 0x0020]), 0, layout('float32', 'little', 'big')), 123456, 'BADC');
    assert.equal(decodeRegisters(wire([0x0020, 0xf147]), 0, layout('float32', 'little', 'little')), 123456, 'DCBA');
    assert.equal(decodeRegisters(wire([0xffff]), 0, layout('int16')), -1);
    assert.equal(decodeRegisters(wire([0xffff]), 0, layout('uint16')), 65535);
    assert.equal(decodeRegisters(wire([0xffff, 0xfffe]), 0, layout('int32')), -2);
    assert.equal(decodeRegisters(wire([0xfffe, 0xffff]), 0, layout('int32', 'big', 'little')), -2);
    assert.equal(decodeRegisters(wire([0x8000, 0x0000]), 0, layout('uint32')), 2147483648);
    assert.equal(decodeRegisters(wire([0x0000, 0x1234, 0x5678]), 1, layout('uint32')), 0x12345678, 'at an offset');
  });

  it('encodes what it decodes, for every type and order', () => {
    const values: Record<ModbusType, number> = { bool: 1, int16: -12345, uint16: 54321, int32: -123456789, uint32: 3000000000, float32: -1.5, float64: Math.PI };
    for (const type of Object.keys(values) as ModbusType[]) {
      for (const byteOrder of ['big', 'little'] as const) {
        for (const wordOrder of ['big', 'little'] as const) {
          const registers = encodeRegisters(values[type], layout(type, byteOrder, wordOrder));
          assert.equal(decodeRegisters(wire(registers), 0, layout(type, byteOrder, wordOrder)), values[type], `${type} ${byteOrder}/${wordOrder}`);
        }
      }
    }
  });

  it('plans few reads within the per-request limits', () => {
    const binding = (address: string, type: ModbusType = 'uint16'): ModbusBinding => ({ address, type, byteOrder: 'big', wordOrder: 'big', equipment: 'e', signal: address, as: 'sample' });
    const spans = planReads([binding('holding:0'), binding('holding:10', 'float64'), binding('holding:200'), binding('coil:3'), binding('coil:1')]);
    assert.deepEqual(spans.map((span) => [span.table, span.start, span.count, span.bindings.length]), [
      ['holding', 0, 14, 2],
      ['holding', 200, 1, 1],
      ['coil', 1, 3, 2],
    ]);
  });

  it('names exception codes', () => {
    assert.equal(exceptionName(2), 'Modbus exception 2 (illegal data address)');
  });
});
