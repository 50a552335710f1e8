/**
 * The Modbus TCP server of the integration tests. It lives in src/sim/servers/modbus-tcp.ts, where the demo plant's
 * utility unit uses the same implementation; see there for what it does and why we do not use jsmodbus's server.
 */
import { startModbusTcpServer, type ModbusTcpServer } from '../../src/sim/servers/modbus-tcp.js';

export type ModbusTestServer = ModbusTcpServer;

/** Starts a server on 127.0.0.1:port over the given tables. */
export function startModbusServer(port: number, holding: Buffer, coils: boolean[]): Promise<ModbusTestServer> {
  return startModbusTcpServer({ port, holding, coils });
}
