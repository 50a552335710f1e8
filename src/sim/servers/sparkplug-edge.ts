/**
 * A Sparkplug B 3.0 edge node on an MQTT broker: NBIRTH with bdSeq and `Node Control/Rebirth`, a DBIRTH per device
 * with aliases and datatypes, DDATA by alias with per-metric (simulated) timestamps, seq 0–255 wrapping across all
 * of the node's messages, NDEATH as the MQTT Will carrying the session's bdSeq, a fresh NBIRTH + DBIRTHs (same bdSeq)
 * when a host sends NCMD `Node Control/Rebirth`, and a new session (bdSeq + 1) when the broker comes back.
 * While offline, data is dropped: the birth after reconnecting carries every current value, as Sparkplug intends.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { UMetric } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import { Backoff } from '../../core/backoff.js';
import { describeError } from '../../core/errors.js';
import { decodeSparkplug, encodeSparkplug } from '../../connectors/sparkplug/codec.js';
import type { TagDataType, TagValue } from '../model/types.js';

/** The Sparkplug B topic namespace. */
export const SPARKPLUG_NAMESPACE = 'spBv1.0';
/** Device metric aliases start here; node metrics (bdSeq, Node Control/Rebirth) go by name. */
const FIRST_ALIAS = 100;

/** A device of the edge node and its metrics. */
export interface SparkplugDevice {
  id: string;
  metrics: Array<{ name: string; type: TagDataType }>;
}

/** A metric value with its time. */
export interface MetricValueAt {
  value: TagValue;
  ts: number;
}

/** Where the node publishes, what it is called, and where it reads current values. */
export interface SparkplugEdgeOptions {
  url: string;
  group: string;
  edge: string;
  devices: SparkplugDevice[];
  /** The current value of a device metric, for births. */
  current(device: string, metric: string): MetricValueAt | undefined;
  /** Simulated now, for payload timestamps of births and deaths. */
  now(): number;
  /** Progress lines (connects, rebirths, reconnects); quiet when absent. */
  log?: (line: string) => void;
  /**
   * The Primary Host Application's id (Sparkplug B 3.0): the node then births only once that host's STATE says it is
   * online, and goes quiet while it is offline, so the host never sees data before a birth nor misses a change.
   */
  primaryHostId?: string;
}

interface MetricEntry {
  alias: number;
  type: TagDataType;
}

/** One Sparkplug B edge node; see the module comment. */
export class SparkplugEdgeNode {
  readonly #options: SparkplugEdgeOptions;
  readonly #aliases = new Map<string, Map<string, MetricEntry>>();
  readonly #backoff = new Backoff({ initialMs: 250, maxMs: 5000 });
  #client: MqttClient | undefined;
  #connected = false;
  /** Born in this session: data may flow only after NBIRTH, or the host would see data before birth. */
  #online = false;
  #lastError: string | undefined;
  #bdSeq = -1;
  #seq = 0;
  #births = 0;
  #stopped = true;
  #timer: NodeJS.Timeout | undefined;
  /** Unique per instance: two simulators on one broker must not take over each other's sessions. */
  readonly #clientId: string;

  constructor(options: SparkplugEdgeOptions) {
    this.#options = options;
    this.#clientId = `plantfabric-sim-${options.group}-${options.edge}-${randomUUID().slice(0, 8)}`;
    let alias = FIRST_ALIAS;
    for (const device of options.devices) {
      this.#aliases.set(device.id, new Map(device.metrics.map((metric) => [metric.name, { alias: alias++, type: metric.type }])));
    }
  }

  get group(): string {
    return this.#options.group;
  }

  get edge(): string {
    return this.#options.edge;
  }

  /** The node's device ids. */
  get devices(): string[] {
    return this.#options.devices.map((device) => device.id);
  }

  /** The topic of a message type for the node (or one of its devices). */
  topic(type: string, device?: string): string {
    return `${SPARKPLUG_NAMESPACE}/${this.#options.group}/${type}/${this.#options.edge}${device === undefined ? '' : `/${device}`}`;
  }

  /** Started and not stopped (connected or trying to be). */
  get running(): boolean {
    return !this.#stopped;
  }

  /** Connected and born: DDATA flows. */
  get online(): boolean {
    return this.#online;
  }

  /** The last problem met (connection, publish, command), for status displays. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** The bdSeq of the current (or last) session. */
  get bdSeq(): number {
    return this.#bdSeq;
  }

  /** NBIRTHs published so far (connects and rebirths). */
  get births(): number {
    return this.#births;
  }

  /** Connects in the background: resolves once the first attempt ended, connected or not (it keeps retrying). */
  async start(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    await this.#connect();
  }

  /** Publishes DDATA for one device (dropped while offline). */
  publish(device: string, metrics: ReadonlyArray<{ name: string; value: TagValue; ts: number }>, ts: number): void {
    const client = this.#client;
    const aliases = this.#aliases.get(device);
    if (client === undefined || !this.#online || aliases === undefined || metrics.length === 0) return;
    const encoded: UMetric[] = [];
    for (const metric of metrics) {
      const entry = aliases.get(metric.name);
      if (entry !== undefined) encoded.push({ alias: entry.alias, type: entry.type, value: metric.value, timestamp: metric.ts });
    }
    if (encoded.length === 0) return;
    this.#send(client, this.topic('DDATA', device), { timestamp: ts, seq: this.#nextSeq(), metrics: encoded });
  }

  /** Drops the connection without a DISCONNECT, as a crash or a cut cable would: the broker publishes the Will. */
  async kill(): Promise<void> {
    this.#stopped = true;
    this.#clearTimer();
    const client = this.#client;
    this.#client = undefined;
    this.#connected = false;
    this.#online = false;
    await client?.endAsync(true);
  }

  /** Publishes NDEATH and disconnects cleanly (a clean DISCONNECT suppresses the Will, so the death is sent by hand). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#clearTimer();
    const client = this.#client;
    this.#client = undefined;
    this.#online = false;
    if (client !== undefined && this.#connected) {
      this.#connected = false;
      try {
        await client.publishAsync(this.topic('NDEATH'), Buffer.from(this.#death()), { qos: 1 });
      } catch (error) {
        this.#problem(`NDEATH not delivered (${describeError(error)})`);
      }
    }
    this.#connected = false;
    await client?.endAsync();
  }

  #death(): Uint8Array {
    return encodeSparkplug({ timestamp: this.#options.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: this.#bdSeq }] });
  }

  #connect(): Promise<void> {
    this.#bdSeq = (this.#bdSeq + 1) % 256;
    const client = mqtt.connect(this.#options.url, {
      clientId: this.#clientId,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      keepalive: 15,
      queueQoSZero: false,
      will: { topic: this.topic('NDEATH'), payload: Buffer.from(this.#death()), qos: 1, retain: false },
    });
    this.#client = client;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (): void => {
        if (!settled) {
          settled = true;
          resolve();
        }
      };
      client.on('connect', () => {
        (client.stream as { setNoDelay?: (value: boolean) => void }).setNoDelay?.(true);
        this.#connected = true;
        this.#backoff.reset();
        this.#options.log?.(`sparkplug ${this.#options.edge}: connected to ${this.#options.url} (bdSeq ${this.#bdSeq})`);
        const primary = this.#options.primaryHostId;
        client
          .subscribeAsync([this.topic('NCMD'), ...(primary === undefined ? [] : [`${SPARKPLUG_NAMESPACE}/STATE/${primary}`])], { qos: 1 })
          // With a primary host, the birth waits for its retained STATE online message (see #hostState).
          .then(() => (primary === undefined ? this.#birth(client) : undefined))
          .catch((error: unknown) => this.#problem(`subscribing to NCMD failed (${describeError(error)})`))
          .finally(settle);
      });
      client.on('message', (topic, payload) => this.#command(client, topic, payload));
      // Errors end in 'close'; the reconnect happens there, so an error needs no handling of its own.
      client.on('error', (error) => this.#problem(describeError(error)));
      client.on('close', () => {
        settle();
        if (this.#client !== client) return;
        this.#connected = false;
        this.#online = false;
        client.removeAllListeners('close');
        client.end(true);
        this.#client = undefined;
        if (!this.#stopped) this.#scheduleReconnect();
      });
    });
  }

  #scheduleReconnect(): void {
    const delay = this.#backoff.next() ?? 5000;
    this.#options.log?.(`sparkplug ${this.#options.edge}: broker gone, reconnecting in ${delay} ms`);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#stopped) void this.#connect();
    }, delay);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The primary host's STATE: online births the node (again, after an outage); offline makes it hold its data. */
  #hostState(client: MqttClient, payload: Buffer): void {
    let online = false;
    try {
      online = (JSON.parse(payload.toString('utf8')) as { online?: unknown }).online === true;
    } catch (error) {
      this.#problem(`unreadable host STATE ignored (${describeError(error)})`);
      return;
    }
    if (online && !this.#online && this.#client === client) {
      this.#options.log?.(`sparkplug ${this.#options.edge}: primary host ${this.#options.primaryHostId} online, birth`);
      this.#birth(client);
    } else if (!online && this.#online) {
      this.#options.log?.(`sparkplug ${this.#options.edge}: primary host ${this.#options.primaryHostId} offline, holding data`);
      this.#online = false;
    }
  }

  #command(client: MqttClient, topic: string, payload: Buffer): void {
    if (this.#options.primaryHostId !== undefined && topic === `${SPARKPLUG_NAMESPACE}/STATE/${this.#options.primaryHostId}`) {
      this.#hostState(client, payload);
      return;
    }
    if (topic !== this.topic('NCMD')) return;
    let rebirth = false;
    try {
      rebirth = decodeSparkplug(payload).metrics.some((metric) => metric.name === 'Node Control/Rebirth' && metric.value === true);
    } catch (error) {
      this.#problem(`unreadable NCMD ignored (${describeError(error)})`);
    }
    if (rebirth && this.#client === client && this.#online) {
      this.#options.log?.(`sparkplug ${this.#options.edge}: rebirth requested`);
      this.#birth(client);
    }
  }

  /** NBIRTH (seq 0) and every DBIRTH with current values, names, aliases and datatypes. */
  #birth(client: MqttClient): void {
    const now = this.#options.now();
    this.#seq = 0;
    this.#online = true;
    this.#births += 1;
    this.#send(client, this.topic('NBIRTH'), {
      timestamp: now,
      seq: this.#nextSeq(),
      metrics: [
        { name: 'bdSeq', type: 'UInt64', value: this.#bdSeq, timestamp: now },
        { name: 'Node Control/Rebirth', type: 'Boolean', value: false, timestamp: now },
      ],
    });
    for (const device of this.#options.devices) {
      const aliases = this.#aliases.get(device.id)!;
      const metrics: UMetric[] = device.metrics.map((metric) => {
        const current = this.#options.current(device.id, metric.name);
        const entry = aliases.get(metric.name)!;
        const fallback = metric.type === 'String' ? '' : metric.type === 'Boolean' ? false : 0;
        return { name: metric.name, alias: entry.alias, type: metric.type, value: current?.value ?? fallback, timestamp: current?.ts ?? now };
      });
      this.#send(client, this.topic('DBIRTH', device.id), { timestamp: now, seq: this.#nextSeq(), metrics });
    }
  }

  #problem(message: string): void {
    this.#lastError = message;
    this.#options.log?.(`sparkplug ${this.#options.edge}: ${message}`);
  }

  #nextSeq(): number {
    const seq = this.#seq;
    this.#seq = (this.#seq + 1) % 256;
    return seq;
  }

  #send(client: MqttClient, topic: string, payload: Parameters<typeof encodeSparkplug>[0]): void {
    client.publish(topic, Buffer.from(encodeSparkplug(payload)), { qos: 0 }, (error) => {
      if (error !== undefined && error !== null) this.#problem(`publish to ${topic} failed (${describeError(error)})`);
    });
  }
}
