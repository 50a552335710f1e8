/**
 * Pure Modbus mapping: register layouts (int16 … float64 with byte and word order), read planning (contiguous spans
 * of at most 125 registers or 2000 bits per request), and encoding for writes.
 */
import type { ModbusBinding, ModbusType } from './config.js';

export type Table = 'coil' | 'discrete' | 'input' | 'holding';

export const REGISTERS_PER_TYPE: Record<ModbusType, number> = { bool: 1, int16: 1, uint16: 1, int32: 2, uint32: 2, float32: 2, float64: 4 };
const MAX_REGISTERS = 125;
const MAX_BITS = 2000;

export function parseAddress(address: string): { table: Table; offset: number } {
  const [table, offset] = address.split(':');
  return { table: table as Table, offset: Number(offset) };
}

/** Bytes of `count` registers starting at `start` of a big-endian register buffer, put in standard order. */
function normalised(words: Uint8Array, start: number, count: number, byteOrder: 'big' | 'little', wordOrder: 'big' | 'little'): Buffer {
  const registers: Buffer[] = [];
  for (let index = 0; index < count; index += 1) {
    const offset = (start + index) * 2;
    const word = Buffer.from([words[offset]!, words[offset + 1]!]);
    registers.push(byteOrder === 'little' ? Buffer.from([word[1]!, word[0]!]) : word);
  }
  if (wordOrder === 'little') registers.reverse();
  return Buffer.concat(registers);
}

/** Decodes one value of `type` at register `index` of a read response (registers as big-endian bytes). */
export function decodeRegisters(words: Uint8Array, index: number, binding: Pick<ModbusBinding, 'type' | 'byteOrder' | 'wordOrder'>): number {
  const bytes = normalised(words, index, REGISTERS_PER_TYPE[binding.type], binding.byteOrder, binding.wordOrder);
  switch (binding.type) {
    case 'bool':
    case 'uint16':
      return bytes.readUInt16BE(0);
    case 'int16':
      return bytes.readInt16BE(0);
    case 'int32':
      return bytes.readInt32BE(0);
    case 'uint32':
      return bytes.readUInt32BE(0);
    case 'float32':
      return bytes.readFloatBE(0);
    case 'float64':
      return bytes.readDoubleBE(0);
  }
}

/** The registers (as 16-bit numbers, in wire order) that hold `value` as `type`: the inverse of decodeRegisters. */
export function encodeRegisters(value: number, binding: Pick<ModbusBinding, 'type' | 'byteOrder' | 'wordOrder'>): number[] {
  const size = REGISTERS_PER_TYPE[binding.type];
  const bytes = Buffer.alloc(size * 2);
  switch (binding.type) {
    case 'bool':
    case 'uint16':
      bytes.writeUInt16BE(value, 0);
      break;
    case 'int16':
      bytes.writeInt16BE(value, 0);
      break;
    case 'int32':
      bytes.writeInt32BE(value, 0);
      break;
    case 'uint32':
      bytes.writeUInt32BE(value, 0);
      break;
    case 'float32':
      bytes.writeFloatBE(value, 0);
      break;
    case 'float64':
      bytes.writeDoubleBE(value, 0);
      break;
  }
  const registers: number[] = [];
  for (let index = 0; index < size; index += 1) {
    const high = bytes[index * 2]!;
    const low = bytes[index * 2 + 1]!;
    registers.push(binding.byteOrder === 'little' ? (low << 8) | high : (high << 8) | low);
  }
  return binding.wordOrder === 'little' ? registers.reverse() : registers;
}

export interface ReadSpan {
  table: Table;
  start: number;
  count: number;
  bindings: ModbusBinding[];
}

/** Groups bindings into as few reads as the protocol's per-request limits allow. */
export function planReads(bindings: readonly ModbusBinding[]): ReadSpan[] {
  const spans: ReadSpan[] = [];
  const byTable = new Map<Table, ModbusBinding[]>();
  for (const binding of bindings) {
    const { table } = parseAddress(binding.address);
    byTable.set(table, [...(byTable.get(table) ?? []), binding]);
  }
  for (const [table, list] of byTable) {
    const limit = table === 'coil' || table === 'discrete' ? MAX_BITS : MAX_REGISTERS;
    const sorted = [...list].sort((a, b) => parseAddress(a.address).offset - parseAddress(b.address).offset);
    let current: ReadSpan | undefined;
    for (const binding of sorted) {
      const { offset } = parseAddress(binding.address);
      const size = table === 'coil' || table === 'discrete' ? 1 : REGISTERS_PER_TYPE[binding.type];
      if (current !== undefined && offset + size - current.start <= limit) {
        current.count = Math.max(current.count, offset + size - current.start);
        current.bindings.push(binding);
      } else {
        current = { table, start: offset, count: size, bindings: [binding] };
        spans.push(current);
      }
    }
  }
  return spans;
}

/** The standard name of a Modbus exception code, for quality status. */
export function exceptionName(code: number): string {
  const names: Record<number, string> = {
    1: 'illegal function',
    2: 'illegal data address',
    3: 'illegal data value',
    4: 'server device failure',
    5: 'acknowledge',
    6: 'server device busy',
    8: 'memory parity error',
    10: 'gateway path unavailable',
    11: 'gateway target failed to respond',
  };
  if (code === 0) return 'Modbus short response';
  return `Modbus exception ${code} (${names[code] ?? 'unknown'})`;
}
