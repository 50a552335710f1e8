/**
 * The Sparkplug B connector: Plantfabric as a host application. It publishes its STATE (online, retained, with the
 * same timestamp in the Will), follows every edge node's births, data and deaths through the session state machine,
 * asks for rebirths when it cannot trust what it holds, and maps bound metrics to events and samples.
 */
import type { Connector, ConnectorContext, WriteRequest, WriteResult } from '../../core/connector.js';
import { describeError } from '../../core/errors.js';
import { RetryTimer } from '../../core/backoff.js';
import { HealthTracker } from '../../core/health.js';
import { ReadingBatcher } from '../../core/reading-batcher.js';
import type { MappingMemory } from '../../core/mapping.js';
import { DATATYPES, decodeSparkplug, encodeCommand, type MetricValue } from './codec.js';
import type { SparkplugConfig } from './config.js';
import { mapSparkplugReading } from './mapping.js';
import { NAMESPACE, parseTopic, SparkplugSession } from './session.js';
import { connectSparkplug, type SparkplugTransport } from './transport.js';

const REBIRTH_METRIC = 'Node Control/Rebirth';

export function createSparkplugConnector(config: SparkplugConfig, context: ConnectorContext): Connector {
  const health = new HealthTracker(context.now);
  const memory: MappingMemory = new Map();
  const retry = new RetryTimer(context.backoff({ initialMs: 500, maxMs: 30_000 }));
  const stateTopic = `${NAMESPACE}/STATE/${config.hostId}`;
  const source = { system: context.system, connector: context.id };
  const lastRebirth = new Map<string, number>();
  let session = new SparkplugSession();
  let transport: SparkplugTransport | undefined;
  let stateTimestamp = 0;
  let stopped = true;
  let rebirthsRequested = 0;
  const batcher = new ReadingBatcher({
    sink: context.sink,
    flushMs: config.flushMs,
    onError: (error) => {
      context.log.error(`ingest failed: ${describeError(error)}`);
      if (health.state === 'connected') health.set('degraded', { message: describeError(error) });
    },
  });

  const stateMessage = (online: boolean): string => JSON.stringify({ online, timestamp: stateTimestamp });

  async function connect(): Promise<void> {
    if (stopped) return;
    health.set('connecting');
    // One timestamp per session: the online STATE and the Will (offline) must carry the same one.
    stateTimestamp = context.now();
    try {
      const password = config.passwordEnv === undefined ? undefined : process.env[config.passwordEnv];
      if (config.passwordEnv !== undefined && password === undefined) throw new Error(`environment variable ${config.passwordEnv} is not set`);
      const opened = await connectSparkplug({
        url: config.url,
        clientId: `plantfabric-${config.hostId}-${context.id}`,
        ...(config.username === undefined ? {} : { username: config.username }),
        ...(password === undefined ? {} : { password }),
        will: { topic: stateTopic, payload: stateMessage(false) },
        onMessage,
        onClose,
      });
      if (stopped) {
        await opened.end();
        return;
      }
      transport = opened;
      // Births seen before a reconnect may be stale now; nodes re-birth when they see our STATE go online.
      session = new SparkplugSession();
      const groups = config.groups.length === 0 ? ['+'] : config.groups;
      await opened.subscribe(groups.flatMap((group) => [`${NAMESPACE}/${group}/+/+`, `${NAMESPACE}/${group}/+/+/+`]));
      await opened.publish(stateTopic, stateMessage(true), { retain: true });
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

  function requestRebirth(group: string, edge: string, reason: string): void {
    const key = `${group}/${edge}`;
    const now = context.now();
    if (now - (lastRebirth.get(key) ?? -Infinity) < config.rebirthIntervalMs) return;
    lastRebirth.set(key, now);
    rebirthsRequested += 1;
    health.setDetails({ rebirthsRequested, lastRebirthReason: reason });
    context.log.warn(`requesting rebirth of ${key}: ${reason}`);
    const payload = encodeCommand([{ name: REBIRTH_METRIC, type: 'Boolean', value: true }], now);
    transport?.publish(`${NAMESPACE}/${group}/NCMD/${edge}`, payload, {}).catch((error: unknown) => {
      context.log.error(`rebirth request to ${key} failed: ${describeError(error)}`);
    });
  }

  function onMessage(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (parsed === undefined || parsed.kind === 'state' || parsed.type === 'NCMD' || parsed.type === 'DCMD') return;
    let decoded;
    try {
      decoded = decodeSparkplug(payload);
    } catch (error) {
      context.sink.deadLetter(payload, { code: 'PF_ERR_INGEST_DECODE', message: `${topic}: not a Sparkplug B payload: ${describeError(error)}`, address: topic, contentType: 'application/x-protobuf' }).catch((failure: unknown) => {
        context.log.error(`could not keep a dead letter: ${describeError(failure)}`);
      });
      if (parsed.type !== 'NBIRTH' && parsed.type !== 'NDEATH') requestRebirth(parsed.group, parsed.edge, `undecodable ${parsed.type}`);
      return;
    }
    const outcome = session.handle(parsed, decoded, context.now());
    if (outcome.rebirth !== undefined) requestRebirth(outcome.rebirth.group, outcome.rebirth.edge, outcome.rebirth.reason);
    for (const reading of outcome.readings) {
      for (const result of mapSparkplugReading(config.bindings, reading, memory, source)) {
        if (result.kind === 'reject') {
          void context.sink.deadLetter(payload, { code: result.code, message: result.message, address: topic, contentType: 'application/x-protobuf' });
        } else batcher.add(result);
      }
    }
    health.setDetails({ nodesOnline: session.onlineNodes().length });
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      void connect();
    },

    async stop() {
      stopped = true;
      retry.cancel();
      const open = transport;
      transport = undefined;
      if (open !== undefined) {
        // A clean goodbye: the same offline STATE the Will would have carried.
        await open.publish(stateTopic, stateMessage(false), { retain: true }).catch(() => undefined);
        await open.end();
      }
      await batcher.flush();
      if (health.state !== 'stopped') health.set('stopped');
    },

    health: () => health.get(),

    /** Writes a metric as NCMD (`group/edge:metric`) or DCMD (`group/edge/device:metric`), typed as it was born. */
    async write(request: WriteRequest): Promise<WriteResult> {
      const separator = request.address.indexOf(':');
      const [group, edge, device] = request.address.slice(0, separator).split('/');
      const metric = request.address.slice(separator + 1);
      if (separator < 0 || group === undefined || edge === undefined) return { ok: false, message: 'address is <group>/<edge>[/<device>]:<metric>' };
      const datatype = session.datatypeOf(group, edge, device, metric);
      if (datatype === undefined) return { ok: false, message: `${request.address} was not declared in a birth` };
      if (transport === undefined) return { ok: false, message: 'not connected' };
      const type = DATATYPES[datatype as keyof typeof DATATYPES];
      const payload = encodeCommand([{ name: metric, type, value: request.value as MetricValue }], context.now());
      const topic = device === undefined ? `${NAMESPACE}/${group}/NCMD/${edge}` : `${NAMESPACE}/${group}/DCMD/${edge}/${device}`;
      try {
        await transport.publish(topic, payload, {});
        return { ok: true };
      } catch (error) {
        return { ok: false, message: describeError(error) };
      }
    },
  };
}
