/**
 * A small Modbus TCP server written to the protocol (MBAP header + PDU): it serves holding registers and coils from
 * buffers the caller owns, accepts writes, and answers reads outside its map with exception 2 (illegal data
 * address), as real devices do. jsmodbus's own server answers such reads with short data instead, which is why the
 * demo plant and the connector tests use this one. Input registers (FC 4) read the same table as holding (FC 3).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A running Modbus TCP server over caller-owned tables. */
export interface ModbusTcpServer {
  host: string;
  port: number;
  holding: Buffer;
  coils: boolean[];
  /** Holding registers that answer exception 4 (server device failure), to simulate a failing sensor. */
  failing: Set<number>;
  close(): Promise<void>;
}

/** Where to listen and what to serve. */
export interface ModbusTcpServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  holding: Buffer;
  coils: boolean[];
}

function exception(functionCode: number, code: number): Buffer {
  return Buffer.from([functionCode | 0x80, code]);
}

/** Answers one request PDU from the tables. */
export function handlePdu(pdu: Buffer, holding: Buffer, coils: boolean[], failing: ReadonlySet<number>): Buffer {
  const functionCode = pdu[0]!;
  if (pdu.length < 5) return exception(functionCode, 3);
  const address = pdu.readUInt16BE(1);
  const registers = holding.length / 2;
  switch (functionCode) {
    case 0x01: {
      const count = pdu.readUInt16BE(3);
      if (address + count > coils.length) return exception(functionCode, 2);
      const bytes = Buffer.alloc(Math.ceil(count / 8));
      for (let index = 0; index < count; index += 1) if (coils[address + index]) bytes[index >> 3]! |= 1 << (index & 7);
      return Buffer.concat([Buffer.from([functionCode, bytes.length]), bytes]);
    }
    case 0x03:
    case 0x04: {
      const count = pdu.readUInt16BE(3);
      if (address + count > registers) return exception(functionCode, 2);
      for (let index = address; index < address + count; index += 1) if (failing.has(index)) return exception(functionCode, 4);
      const data = holding.subarray(address * 2, (address + count) * 2);
      return Buffer.concat([Buffer.from([functionCode, data.length]), data]);
    }
    case 0x05: {
      if (address >= coils.length) return exception(functionCode, 2);
      coils[address] = pdu.readUInt16BE(3) === 0xff00;
      return pdu.subarray(0, 5);
    }
    case 0x10: {
      const count = pdu.readUInt16BE(3);
      if (address + count > registers || pdu.length < 6 + count * 2) return exception(functionCode, 2);
      pdu.copy(holding, address * 2, 6, 6 + count * 2);
      return pdu.subarray(0, 5);
    }
    default:
      return exception(functionCode, 1);
  }
}

/** Starts a server on host:port (default loopback) serving the given tables. */
export async function startModbusTcpServer(options: ModbusTcpServerOptions): Promise<ModbusTcpServer> {
  const host = options.host ?? '127.0.0.1';
  const { holding, coils } = options;
  const sockets = new Set<Socket>();
  const failing = new Set<number>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that vanishes mid-request must not take the server down; the socket closes and is forgotten.
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 7) {
        const length = pending.readUInt16BE(4);
        if (pending.length < 6 + length) break;
        const frame = pending.subarray(0, 6 + length);
        pending = pending.subarray(6 + length);
        const response = handlePdu(frame.subarray(7), holding, coils, failing);
        const header = Buffer.alloc(7);
        header.writeUInt16BE(frame.readUInt16BE(0), 0);
        header.writeUInt16BE(0, 2);
        header.writeUInt16BE(response.length + 1, 4);
        header[6] = frame[6]!;
        socket.write(Buffer.concat([header, response]));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    host,
    port: (server.address() as AddressInfo).port,
    holding,
    coils,
    failing,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
