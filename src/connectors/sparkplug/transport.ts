/**
 * A thin wrapper over mqtt.js for the Sparkplug host: the STATE Will is set per connection (its timestamp must match
 * the online STATE published right after), TCP no-delay on, promise APIs only. Reconnecting is the connector's job.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export interface SparkplugTransport {
  subscribe(filters: string[]): Promise<void>;
  publish(topic: string, payload: string | Uint8Array, options: { retain?: boolean }): Promise<void>;
  end(): Promise<void>;
}

export interface ConnectOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  will: { topic: string; payload: string };
  onMessage(topic: string, payload: Buffer): void;
  onClose(): void;
}

export function connectSparkplug(options: ConnectOptions): Promise<SparkplugTransport> {
  const clientOptions: IClientOptions = {
    clientId: options.clientId,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    keepalive: 30,
    // Sparkplug 3.0: the host's death certificate is its STATE message, QoS 1, retained.
    will: { topic: options.will.topic, payload: Buffer.from(options.will.payload), qos: 1, retain: true },
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
  };
  return new Promise((resolve, reject) => {
    const client: MqttClient = mqtt.connect(options.url, clientOptions);
    let connected = false;
    client.on('connect', () => {
      connected = true;
      (client.stream as { setNoDelay?: (value: boolean) => void }).setNoDelay?.(true);
      resolve({
        async subscribe(filters) {
          const granted = await client.subscribeAsync(filters, { qos: 1 });
          const refused = granted.filter((grant) => grant.qos === 128);
          if (refused.length > 0) throw new Error(`broker refused ${refused.map((grant) => grant.topic).join(', ')}`);
        },
        async publish(topic, payload, publishOptions) {
          // Commands and STATE go at QoS 1 (Sparkplug 3.0 as this project reads it; see docs/connectors.md).
          await client.publishAsync(topic, typeof payload === 'string' ? payload : Buffer.from(payload), { qos: 1, retain: publishOptions.retain ?? false });
        },
        async end() {
          await client.endAsync(true);
        },
      });
    });
    client.on('message', (topic, payload) => options.onMessage(topic, payload));
    client.on('error', (error) => {
      if (!connected) {
        client.end(true);
        reject(error);
      }
    });
    client.on('close', () => {
      if (connected) options.onClose();
      else reject(new Error(`connection to ${options.url} closed before the broker accepted it`));
    });
  });
}
