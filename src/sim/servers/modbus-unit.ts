/**
 * The utilities' Modbus TCP unit: the compressor and the main power meter behind one server (unit id ignored, as
 * many gateways do). Registers are 0-based; 32-bit values are big-endian with the high word first.
 *
 * | address     | 4xxxx | equipment     | tag      | type    | unit |
 * | holding:0   | 40001 | compressor-1  | Pressure | float32 | bar  |
 * | holding:2   | 40003 | compressor-1  | Power    | float32 | kW   |
 * | holding:4   | 40005 | power-meter-1 | Power    | float32 | kW   |
 * | holding:6   | 40007 | power-meter-1 | Energy   | uint32  | kWh  |
 * | coil:0      | 00001 | compressor-1  | Running  | bool    |      |
 */
import type { SimConfig } from '../config.js';
import type { TagUpdate } from '../model/types.js';
import { startModbusTcpServer, type ModbusTcpServer } from './modbus-tcp.js';

/** One entry of the register map. */
export interface RegisterEntry {
  machine: string;
  tag: string;
  address: string;
  type: 'float32' | 'uint32' | 'bool';
  unit?: string;
}

/** The register map for a config's utility ids. */
export function utilityRegisterMap(config: SimConfig): RegisterEntry[] {
  const { compressor, powerMeter } = config.utilities;
  return [
    { machine: compressor.id, tag: 'Pressure', address: 'holding:0', type: 'float32', unit: 'bar' },
    { machine: compressor.id, tag: 'Power', address: 'holding:2', type: 'float32', unit: 'kW' },
    { machine: powerMeter.id, tag: 'Power', address: 'holding:4', type: 'float32', unit: 'kW' },
    { machine: powerMeter.id, tag: 'Energy', address: 'holding:6', type: 'uint32', unit: 'kWh' },
    { machine: compressor.id, tag: 'Running', address: 'coil:0', type: 'bool' },
  ];
}

const HOLDING_REGISTERS = 8;
const COILS = 1;

/** The utilities' Modbus TCP server fed by the model. */
export class ModbusUtilityUnit {
  readonly #host: string;
  #port: number;
  readonly #entries: Map<string, RegisterEntry>;
  readonly #holding = Buffer.alloc(HOLDING_REGISTERS * 2);
  readonly #coils: boolean[] = new Array<boolean>(COILS).fill(false);
  #server: ModbusTcpServer | undefined;

  constructor(config: SimConfig) {
    this.#host = config.endpoints.host;
    this.#port = config.endpoints.modbus.port;
    this.#entries = new Map(utilityRegisterMap(config).map((entry) => [`${entry.machine}\u0000${entry.tag}`, entry]));
  }

  get host(): string {
    return this.#host;
  }

  /** The port served (after the first start, the one picked for port 0; a restart reuses it). */
  get port(): number {
    return this.#port;
  }

  get running(): boolean {
    return this.#server !== undefined;
  }

  /** Writes a utility tag into its registers (whether or not the server is up); false for tags not in the map. */
  apply(update: TagUpdate): boolean {
    const entry = this.#entries.get(`${update.machine}\u0000${update.tag}`);
    if (entry === undefined) return false;
    const [table, offsetText] = entry.address.split(':');
    const offset = Number(offsetText);
    if (table === 'coil') this.#coils[offset] = update.value === true;
    else if (entry.type === 'float32') this.#holding.writeFloatBE(Number(update.value), offset * 2);
    else this.#holding.writeUInt32BE(Number(update.value) >>> 0, offset * 2);
    return true;
  }

  async start(): Promise<void> {
    if (this.#server !== undefined) return;
    this.#server = await startModbusTcpServer({ host: this.#host, port: this.#port, holding: this.#holding, coils: this.#coils });
    this.#port = this.#server.port;
  }

  /** Closes the server and every client connection (to the client, the unit went off the network). */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    await server?.close();
  }
}
