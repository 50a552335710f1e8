/**
 * The unified-namespace publisher: follows the plant's stored events and samples and keeps, retained on a broker, the
 * current state of every equipment under its ISA-95 path. Only the latest message per topic is kept while the broker
 * is away or between publish intervals, so memory is bounded by the size of the plant, not by the event rate.
 */
import type { Connector, ConnectorContext } from '../../core/connector.js';
import { describeError } from '../../core/errors.js';
import { RetryTimer } from '../../core/backoff.js';
import { HealthTracker } from '../../core/health.js';
import type { UnsConfig, UnsTopic } from './uns-config.js';
import { unsMessageOfEvent, unsMessageOfSample, type UnsMessage } from './uns-mapping.js';
import { clientOptions, connectMqtt, type MqttTransport } from './transport.js';

export function createUnsConnector(config: UnsConfig, context: ConnectorContext): Connector {
  const health = new HealthTracker(context.now);
  const retry = new RetryTimer(context.backoff({ initialMs: 500, maxMs: 30_000 }));
  const include = new Set<UnsTopic>(config.publish);
  const clientId = config.clientId ?? `plantfabric-${context.id}`;
  /** Latest unpublished message per topic. */
  const pending = new Map<string, UnsMessage>();
  /** Source time of the newest message taken per topic, so late arrivals never roll the state back. */
  const newest = new Map<string, number>();
  let transport: MqttTransport | undefined;
  let stopped = true;
  let flushTimer: NodeJS.Timeout | undefined;
  let publishing: Promise<void> = Promise.resolve();
  let published = 0;
  let unsubscribe: Array<() => void> = [];

  health.setDetails({ url: config.url, topicPrefix: config.topicPrefix, published, pending: 0 });

  function take(message: UnsMessage | undefined): void {
    if (message === undefined) return;
    const seen = newest.get(message.topic);
    if (seen !== undefined && message.at < seen) return;
    newest.set(message.topic, message.at);
    pending.set(message.topic, message);
  }

  function scheduleFlush(): void {
    if (stopped || transport === undefined || flushTimer !== undefined || pending.size === 0) return;
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      void flush();
    }, config.publishIntervalMs);
  }

  /** Publishes everything pending; what fails to go out stays pending for the next connection. */
  function flush(): Promise<void> {
    publishing = publishing.then(async () => {
      const open = transport;
      if (open === undefined || pending.size === 0) return;
      const batch = [...pending.values()];
      pending.clear();
      const results = await Promise.allSettled(batch.map((item) => open.publish(item.topic, item.payload, { qos: config.qos, retain: true })));
      results.forEach((result, index) => {
        const item = batch[index]!;
        if (result.status === 'fulfilled') published += 1;
        else if (!pending.has(item.topic)) pending.set(item.topic, item);
      });
      health.setDetails({ published, pending: pending.size });
      if (pending.size > 0) scheduleFlush();
    });
    return publishing;
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    health.set('connecting');
    try {
      const opened = await connectMqtt(config.url, clientOptions({ ...config, cleanSession: true }, clientId), { onMessage: () => undefined, onClose });
      if (stopped) {
        await opened.end();
        return;
      }
      transport = opened;
      retry.succeeded();
      health.set('connected');
      scheduleFlush();
    } catch (error) {
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

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      unsubscribe = [
        context.feed.onEvents((events) => {
          for (const event of events) take(unsMessageOfEvent(event, config.topicPrefix, include));
          scheduleFlush();
        }),
        context.feed.onSamples((samples) => {
          if (!include.has('signals')) return;
          for (const sample of samples) take(unsMessageOfSample(sample, config.topicPrefix));
          scheduleFlush();
        }),
      ];
      void connect();
    },

    async stop() {
      for (const stop of unsubscribe) stop();
      unsubscribe = [];
      retry.cancel();
      clearTimeout(flushTimer);
      flushTimer = undefined;
      // The last changes still go out when the broker is there: the namespace should show the state we stopped in.
      await flush().catch((error: unknown) => context.log.warn(`last publish failed: ${describeError(error)}`));
      stopped = true;
      const open = transport;
      transport = undefined;
      await open?.end();
      if (health.state !== 'stopped') health.set('stopped');
    },

    health: () => health.get(),
  };
}
