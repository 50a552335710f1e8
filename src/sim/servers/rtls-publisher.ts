/**
 * The RTLS server's feed: every position report as JSON `{ "tag", "x", "y", "z", "ts" }` (metres, ts in simulated
 * epoch ms) on `<prefix>/<tag>/position`, QoS 0, as UWB location engines publish. Reports made while the broker is
 * away are dropped (a position is stale a second later anyway); mqtt.js reconnects by itself.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { describeError } from '../../core/errors.js';
import type { PositionUpdate } from '../model/types.js';

/** Where to publish positions. */
export interface RtlsPublisherOptions {
  brokerUrl: string;
  topicPrefix: string;
  log?: (line: string) => void;
}

/** Publishes RTLS positions as MQTT JSON. */
export class RtlsPublisher {
  readonly #options: RtlsPublisherOptions;
  #client: MqttClient | undefined;
  #published = 0;
  #dropped = 0;
  #lastError: string | undefined;

  constructor(options: RtlsPublisherOptions) {
    this.#options = options;
  }

  /** The topic of a tag's positions. */
  topic(tag: string): string {
    return `${this.#options.topicPrefix}/${tag}/position`;
  }

  get running(): boolean {
    return this.#client !== undefined;
  }

  get online(): boolean {
    return this.#client?.connected ?? false;
  }

  get counts(): { published: number; dropped: number } {
    return { published: this.#published, dropped: this.#dropped };
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Connects (in the background: a broker that is not up yet is retried every second). */
  async start(): Promise<void> {
    if (this.#client !== undefined) return;
    const client = mqtt.connect(this.#options.brokerUrl, {
      clientId: `plantfabric-sim-rtls-${randomUUID().slice(0, 8)}`,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      queueQoSZero: false,
    });
    client.on('error', (error) => {
      this.#lastError = describeError(error);
      this.#options.log?.(`rtls: ${this.#lastError}`);
    });
    this.#client = client;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        client.off('connect', done);
        client.off('close', done);
        resolve();
      };
      client.once('connect', done);
      client.once('close', done);
    });
  }

  publish(update: PositionUpdate): void {
    const client = this.#client;
    if (client === undefined || !client.connected) {
      this.#dropped += 1;
      return;
    }
    const body = JSON.stringify({ tag: update.tag, x: update.x, y: update.y, z: update.z, ts: update.ts });
    client.publish(this.topic(update.tag), body, { qos: 0 });
    this.#published += 1;
  }

  /** Disconnects at once. */
  async stop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.endAsync(true);
  }
}
