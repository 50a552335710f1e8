/**
 * A thin wrapper over jsmodbus's TCP client: one socket, promise reads and writes, and Modbus exceptions told apart
 * from transport failures (an exception is the device answering; it becomes quality, not a reconnect).
 */
import { Socket } from 'node:net';
import Modbus from 'jsmodbus';
import type { Table } from './mapping.js';

export class ModbusException extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export interface ModbusTransport {
  /** Registers as big-endian bytes (2 per register), or bits as 0/1. */
  read(table: Table, start: number, count: number): Promise<{ registers?: Uint8Array; bits?: number[] }>;
  writeRegisters(start: number, values: number[]): Promise<void>;
  writeCoil(address: number, value: boolean): Promise<void>;
  close(): void;
}

interface RequestError {
  err?: string;
  message?: string;
  response?: { body?: { code?: unknown } };
}

function translate(error: unknown): never {
  const failure = error as RequestError;
  if (failure.err === 'ModbusException') {
    const code = Number(failure.response?.body?.code);
    throw new ModbusException(Number.isFinite(code) ? code : 0, failure.message ?? 'Modbus exception');
  }
  throw error instanceof Error ? error : new Error(failure.message ?? String(error));
}

export function connectModbus(options: { host: string; port: number; unitId: number; timeoutMs: number; onClose: () => void }): Promise<ModbusTransport> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.setNoDelay(true);
    const client = new Modbus.client.TCP(socket, options.unitId, options.timeoutMs);
    let open = false;
    const connectTimer = setTimeout(() => socket.destroy(new Error(`no answer from ${options.host}:${options.port} within ${options.timeoutMs} ms`)), options.timeoutMs);
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      open = true;
      resolve({
        async read(table, start, count) {
          try {
            if (table === 'holding' || table === 'input') {
              const answer = table === 'holding' ? await client.readHoldingRegisters(start, count) : await client.readInputRegisters(start, count);
              const registers = answer.response.body.valuesAsBuffer;
              // Some devices answer an unmapped range with fewer registers instead of an exception: the same fault.
              if (registers.length < count * 2) throw new ModbusException(0, `answer holds ${registers.length / 2} of ${count} registers from ${table}:${start}`);
              return { registers };
            }
            const body = table === 'coil' ? (await client.readCoils(start, count)).response.body : (await client.readDiscreteInputs(start, count)).response.body;
            return { bits: Array.from(body.valuesAsArray as ArrayLike<number | boolean>, (bit) => (bit ? 1 : 0)).slice(0, count) };
          } catch (error) {
            if (error instanceof ModbusException) throw error;
            return translate(error);
          }
        },
        async writeRegisters(start, values) {
          await client.writeMultipleRegisters(start, values).catch(translate);
        },
        async writeCoil(address, value) {
          await client.writeSingleCoil(address, value).catch(translate);
        },
        close() {
          socket.destroy();
        },
      });
    });
    socket.on('error', (error) => {
      clearTimeout(connectTimer);
      if (!open) reject(error);
    });
    socket.on('close', () => {
      clearTimeout(connectTimer);
      if (open) options.onClose();
    });
    socket.connect({ host: options.host, port: options.port });
  });
}
