/**
 * A thin wrapper over mqtt.js: connect once (our backoff does the reconnecting), TCP no-delay on (PERF-NOTES: without
 * it latency is 15–40 ms), promise APIs only.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { MqttConfig } from './config.js';

export interface MqttMessage {
  topic: string;
  payload: Buffer;
}

export interface MqttTransportHandlers {
  onMessage(message: MqttMessage): void;
  onClose(error?: Error): void;
}

export interface MqttTransport {
  subscribe(filters: string[], qos: 0 | 1): Promise<void>;
  publish(topic: string, payload: string | Buffer, options: { qos: 0 | 1; retain?: boolean }): Promise<void>;
  end(): Promise<void>;
}

/** What a connection needs of an entry's config; `mqtt` and `uns` entries both have it. */
export type MqttConnectionConfig = Pick<MqttConfig, 'protocolVersion' | 'cleanSession' | 'username' | 'passwordEnv' | 'tls'>;

export function clientOptions(config: MqttConnectionConfig, clientId: string): IClientOptions {
  const options: IClientOptions = {
    protocolVersion: config.protocolVersion,
    clientId,
    clean: config.cleanSession,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    keepalive: 30,
  };
  if (config.username !== undefined) options.username = config.username;
  if (config.passwordEnv !== undefined) {
    const password = process.env[config.passwordEnv];
    if (password === undefined) throw new Error(`environment variable ${config.passwordEnv} (passwordEnv) is not set`);
    options.password = password;
  }
  if (config.tls !== undefined) {
    if (config.tls.caFile !== undefined) options.ca = readFileSync(config.tls.caFile);
    if (config.tls.certFile !== undefined) options.cert = readFileSync(config.tls.certFile);
    if (config.tls.keyFile !== undefined) options.key = readFileSync(config.tls.keyFile);
    options.rejectUnauthorized = config.tls.rejectUnauthorized ?? true;
  }
  return options;
}

/** Connects; resolves once the broker accepted the session, rejects on the first error. */
export function connectMqtt(url: string, options: IClientOptions, handlers: MqttTransportHandlers): Promise<MqttTransport> {
  return new Promise((resolve, reject) => {
    const client: MqttClient = mqtt.connect(url, options);
    let connected = false;
    client.on('connect', () => {
      connected = true;
      const stream = client.stream as { setNoDelay?: (noDelay: boolean) => void };
      stream.setNoDelay?.(true);
      resolve(wrap(client));
    });
    client.on('message', (topic, payload) => handlers.onMessage({ topic, payload }));
    client.on('error', (error) => {
      if (!connected) {
        client.end(true);
        reject(error);
      }
    });
    client.on('close', () => {
      if (connected) handlers.onClose();
      else reject(new Error(`connection to ${url} closed before the broker accepted it`));
    });
  });
}

function wrap(client: MqttClient): MqttTransport {
  return {
    async subscribe(filters, qos) {
      const granted = await client.subscribeAsync(filters, { qos });
      const refused = granted.filter((grant) => grant.qos === 128);
      if (refused.length > 0) throw new Error(`broker refused subscription to ${refused.map((grant) => grant.topic).join(', ')}`);
    },
    async publish(topic, payload, options) {
      await client.publishAsync(topic, payload, { qos: options.qos, retain: options.retain ?? false });
    },
    async end() {
      await client.endAsync(true);
    },
  };
}
