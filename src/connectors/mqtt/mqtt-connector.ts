/**
 * The MQTT connector: one broker session, subscriptions for every binding's topic filter, readings mapped and handed
 * to the sink in small batches. Reconnects through the shared backoff and re-subscribes after every reconnect.
 *
 * QoS 1 messages are acknowledged to the broker on receipt (mqtt.js reads the next packet only after the ack, so
 * holding acks until commit would mean one commit per message); they reach the store within `flushMs`. See ADR 0005.
 */
import type { Connector, ConnectorContext, WriteRequest, WriteResult } from '../../core/connector.js';
import { describeError, InputError } from '../../core/errors.js';
import { RetryTimer } from '../../core/backoff.js';
import { HealthTracker } from '../../core/health.js';
import { ReadingBatcher } from '../../core/reading-batcher.js';
import type { MappingMemory } from '../../core/mapping.js';
import type { MqttConfig } from './config.js';
import { decodePayload, mapEventMessage, mapMessage, timestampOf, topicMatches } from './mapping.js';
import { clientOptions, connectMqtt, type MqttMessage, type MqttTransport } from './transport.js';

export function createMqttConnector(config: MqttConfig, context: ConnectorContext): Connector {
  if (config.bindings.length === 0 && config.events.length === 0) {
    throw new InputError('PF_ERR_CONFIG_INVALID', `connector ${context.id}: give at least one binding or event mapping, or it reads nothing`);
  }
  const health = new HealthTracker(context.now);
  const memory: MappingMemory = new Map();
  const retry = new RetryTimer(context.backoff({ initialMs: 500, maxMs: 30_000 }));
  const clientId = config.clientId ?? `plantfabric-${context.id}`;
  const filters = [...new Set([...config.bindings.map((binding) => binding.topic), ...config.events.map((mapping) => mapping.topic)])];
  const source = { system: context.system, connector: context.id };
  let transport: MqttTransport | undefined;
  let stopped = true;
  let received = 0;
  const batcher = new ReadingBatcher({
    sink: context.sink,
    flushMs: config.flushMs,
    onError: (error) => {
      context.log.error(`ingest failed: ${describeError(error)}`);
      if (health.state === 'connected') health.set('degraded', { message: describeError(error) });
    },
  });

  health.setDetails({ url: config.url, bindings: config.bindings.length, eventMappings: config.events.length, received });

  async function connect(): Promise<void> {
    if (stopped) return;
    health.set('connecting');
    try {
      const opened = await connectMqtt(config.url, clientOptions(config, clientId), { onMessage, onClose });
      if (stopped) {
        await opened.end();
        return;
      }
      transport = opened;
      await opened.subscribe(filters, config.qos);
      retry.succeeded();
      health.set('connected');
    } catch (error) {
      await transport?.end().catch(() => undefined);
      transport = undefined;
      if (stopped) return;
      health.set('disconnected', { message: `${config.url}: ${describeError(error)}`, code: 'PF_ERR_PROTOCOL' });
      scheduleReconnect();
    }
  }

  function onClose(): void {
    transport = undefined;
    if (stopped) return;
    health.set('disconnected', { message: `${config.url}: connection lost`, code: 'PF_ERR_PROTOCOL' });
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (!stopped) retry.schedule(() => void connect());
  }

  function deadLetter(payload: Uint8Array, code: string, message: string, topic: string): void {
    context.sink.deadLetter(payload, { code, message, address: topic, contentType: 'application/octet-stream' }).catch((error: unknown) => {
      context.log.error(`could not keep a dead letter: ${describeError(error)}`);
    });
  }

  function onMessage({ topic, payload }: MqttMessage): void {
    received += 1;
    const decoded = decodePayload(payload);
    if (!decoded.ok) return deadLetter(payload, 'PF_ERR_INGEST_DECODE', `${topic}: ${decoded.message}`, topic);
    const mapped = mapEventMessage(config.events, topic, decoded.value, { source: { ...source, address: topic }, receivedAt: context.now() });
    if (mapped !== undefined) {
      for (const event of mapped.events) batcher.addEvent(event);
      for (const rejected of mapped.rejects) deadLetter(payload, 'PF_ERR_INGEST_SCHEMA', `${topic}: ${rejected.message}`, topic);
    }
    if (config.bindings.some((binding) => topicMatches(binding.topic, topic))) {
      const ts = timestampOf(decoded.value, config.timestampField, context.now());
      if (ts === undefined) return deadLetter(payload, 'PF_ERR_INGEST_SCHEMA', `${topic}: no usable time at '${config.timestampField}'`, topic);
      for (const result of mapMessage(config.bindings, topic, decoded.value, ts, memory, source)) {
        if (result.kind === 'reject') deadLetter(payload, result.code, result.message, topic);
        else batcher.add(result);
      }
    }
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      // Not awaited: a broker that is down must not hold up the plant's start; health shows the retries.
      void connect();
    },

    async stop() {
      stopped = true;
      retry.cancel();
      const open = transport;
      transport = undefined;
      await open?.end();
      await batcher.flush();
      if (health.state !== 'stopped') health.set('stopped');
    },

    health() {
      health.setDetails({ received });
      return health.get();
    },

    async write(request: WriteRequest): Promise<WriteResult> {
      if (transport === undefined) return { ok: false, message: 'not connected' };
      const payload = typeof request.value === 'string' ? request.value : JSON.stringify(request.value);
      try {
        await transport.publish(request.address, payload, { qos: 1 });
        return { ok: true };
      } catch (error) {
        return { ok: false, message: describeError(error) };
      }
    },
  };
}
