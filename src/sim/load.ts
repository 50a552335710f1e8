/**
 * Load mode (`plantfabric sim --load --tags N --rate R`): N tags changing R times a second over one protocol, for
 * benchmarks. Every value is the tick number (1, 2, 3, ...) stamped with the tick's due time, so a receiver can tell
 * exactly what it missed. Ticks are scheduled against the wall clock; when the process falls behind, the missed ticks
 * are sent in a burst and counted as late, never skipped. Addresses:
 * - mqtt: JSON `{ "value", "ts" }` on `<prefix>/t<i>` (QoS 0 unless asked);
 * - sparkplug: one edge node `load/load-edge`, device `load-device`, Double metrics `t<i>`, one DDATA per tick;
 * - opcua: Double variables `ns=1;s=load.t<i>` under Objects/Load;
 * - modbus: float32 in holding registers 2i and 2i+1 (high word first); the reader polls.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { InputError } from '../core/errors.js';
import { startModbusTcpServer, type ModbusTcpServer } from './servers/modbus-tcp.js';
import { startOpcuaEndpoint, type OpcuaEndpoint } from './servers/opcua-server.js';
import { SparkplugEdgeNode } from './servers/sparkplug-edge.js';

/** The protocols load mode speaks. */
export const LOAD_PROTOCOLS = ['mqtt', 'sparkplug', 'opcua', 'modbus'] as const;
export type LoadProtocol = (typeof LOAD_PROTOCOLS)[number];

/** What to send, how many and how fast. */
export interface LoadOptions {
  protocol: LoadProtocol;
  tags: number;
  /** Changes per tag per second (at most 1000). */
  rateHz: number;
  /** For mqtt and sparkplug. */
  brokerUrl?: string;
  /** For opcua and modbus servers; default 127.0.0.1. */
  host?: string;
  /** For opcua and modbus; 0 (default) picks a free port. */
  port?: number;
  /** For mqtt; default `load`. */
  topicPrefix?: string;
  /** For mqtt; default 0. */
  qos?: 0 | 1;
}

/** What load mode has sent so far. */
export interface LoadReport {
  protocol: LoadProtocol;
  tags: number;
  rateHz: number;
  /** Ticks run: every tag was set (or published) once per tick. */
  ticks: number;
  /** Values sent: ticks × tags. */
  values: number;
  /** Ticks that ran later than one tick interval after their due time (the sender could not keep up). */
  lateTicks: number;
  startedAt: string;
  elapsedMs: number;
}

/** A running load generator. */
export interface LoadHandle {
  /** Where to read from: a broker URL, an OPC UA endpoint URL, or a Modbus host:port. */
  readonly endpoint: string;
  /** The binding address of each tag, in tag order. */
  readonly addresses: readonly string[];
  report(): LoadReport;
  /** Stops sending and closes the server or client; resolves with the final report. */
  stop(): Promise<LoadReport>;
}

interface Sink {
  endpoint: string;
  addresses: string[];
  send(tick: number, ts: number): void;
  close(): Promise<void>;
}

async function mqttSink(options: LoadOptions, url: string): Promise<Sink> {
  const prefix = options.topicPrefix ?? 'load';
  const topics = Array.from({ length: options.tags }, (_, index) => `${prefix}/t${index}`);
  const client: MqttClient = await mqtt.connectAsync(url, { clientId: `plantfabric-load-${randomUUID().slice(0, 8)}`, reconnectPeriod: 1000, queueQoSZero: false });
  const qos = options.qos ?? 0;
  return {
    endpoint: url,
    addresses: topics,
    send(tick, ts) {
      const payload = JSON.stringify({ value: tick, ts });
      for (const topic of topics) client.publish(topic, payload, { qos });
    },
    close: () => client.endAsync(),
  };
}

async function sparkplugSink(options: LoadOptions, url: string): Promise<Sink> {
  const names = Array.from({ length: options.tags }, (_, index) => `t${index}`);
  let latest = { value: 0, ts: Date.now() };
  const node = new SparkplugEdgeNode({
    url,
    group: 'load',
    edge: 'load-edge',
    devices: [{ id: 'load-device', metrics: names.map((name) => ({ name, type: 'Double' })) }],
    current: () => latest,
    now: () => Date.now(),
  });
  await node.start();
  return {
    endpoint: url,
    addresses: names.map((name) => `load/load-edge/load-device:${name}`),
    send(tick, ts) {
      latest = { value: tick, ts };
      node.publish('load-device', names.map((name) => ({ name, value: tick, ts })), ts);
    },
    close: () => node.stop(),
  };
}

async function opcuaSink(options: LoadOptions): Promise<Sink> {
  const ids = Array.from({ length: options.tags }, (_, index) => `load.t${index}`);
  const endpoint: OpcuaEndpoint = await startOpcuaEndpoint({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    resourcePath: '/UA/Load',
    rootFolder: 'Load',
    folders: [{ name: 'Tags', variables: ids.map((id, index) => ({ name: `t${index}`, id, dataType: 'Double', initial: 0, initialTs: Date.now() })) }],
  });
  return {
    endpoint: endpoint.endpointUrl,
    addresses: ids.map((id) => `ns=1;s=${id}`),
    send(tick, ts) {
      for (const id of ids) endpoint.set(id, tick, ts);
    },
    close: () => endpoint.close(),
  };
}

async function modbusSink(options: LoadOptions): Promise<Sink> {
  const holding = Buffer.alloc(options.tags * 4);
  const server: ModbusTcpServer = await startModbusTcpServer({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, holding, coils: [] });
  return {
    endpoint: `${server.host}:${server.port}`,
    addresses: Array.from({ length: options.tags }, (_, index) => `holding:${index * 2}`),
    send(tick) {
      for (let index = 0; index < options.tags; index += 1) holding.writeFloatBE(tick, index * 4);
    },
    close: () => server.close(),
  };
}

/**
 * Starts sending N tags at R Hz over one protocol.
 * @throws PF_ERR_REQUEST_INVALID for a tag count or rate out of range, or a broker protocol without brokerUrl
 */
export async function startLoad(options: LoadOptions): Promise<LoadHandle> {
  const maxTags = options.protocol === 'modbus' ? 16_383 : 100_000;
  if (!Number.isInteger(options.tags) || options.tags < 1 || options.tags > maxTags) {
    throw new InputError('PF_ERR_REQUEST_INVALID', `load: tags must be an integer from 1 to ${maxTags}, got ${options.tags}`);
  }
  if (!(options.rateHz > 0) || options.rateHz > 1000) throw new InputError('PF_ERR_REQUEST_INVALID', `load: rate must be above 0 and at most 1000 Hz, got ${options.rateHz}`);
  const needsBroker = options.protocol === 'mqtt' || options.protocol === 'sparkplug';
  if (needsBroker && options.brokerUrl === undefined) throw new InputError('PF_ERR_REQUEST_INVALID', `load: ${options.protocol} needs a brokerUrl`);
  const sink =
    options.protocol === 'mqtt'
      ? await mqttSink(options, options.brokerUrl!)
      : options.protocol === 'sparkplug'
        ? await sparkplugSink(options, options.brokerUrl!)
        : options.protocol === 'opcua'
          ? await opcuaSink(options)
          : await modbusSink(options);

  const intervalMs = 1000 / options.rateHz;
  const startedAt = Date.now();
  let ticks = 0;
  let lateTicks = 0;
  let stoppedAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const run = (): void => {
    timer = undefined;
    const due = Math.floor((Date.now() - startedAt) / intervalMs);
    while (ticks < due && stoppedAt === undefined) {
      ticks += 1;
      const dueAt = startedAt + ticks * intervalMs;
      if (Date.now() - dueAt > intervalMs) lateTicks += 1;
      sink.send(ticks, Math.round(dueAt));
    }
    if (stoppedAt === undefined) timer = setTimeout(run, Math.max(0, startedAt + (ticks + 1) * intervalMs - Date.now()));
  };
  timer = setTimeout(run, intervalMs);
  const report = (): LoadReport => ({
    protocol: options.protocol,
    tags: options.tags,
    rateHz: options.rateHz,
    ticks,
    values: ticks * options.tags,
    lateTicks,
    startedAt: new Date(startedAt).toISOString(),
    elapsedMs: (stoppedAt ?? Date.now()) - startedAt,
  });
  return {
    endpoint: sink.endpoint,
    addresses: sink.addresses,
    report,
    async stop() {
      if (stoppedAt === undefined) {
        stoppedAt = Date.now();
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        await sink.close();
      }
      return report();
    },
  };
}
