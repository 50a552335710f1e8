/**
 * The Modbus TCP connector: one connection to a unit, poll groups on their own intervals, values decoded by type and
 * mapped by bindings. A Modbus exception marks the affected bindings' readings bad (the device answered); a lost
 * connection sets health disconnected and reconnects through the shared backoff.
 */
import { RetryTimer } from '../../core/backoff.js';
import type { Connector, ConnectorContext, WriteRequest, WriteResult } from '../../core/connector.js';
import { describeError } from '../../core/errors.js';
import type { EventInput, Sample } from '../../core/event.js';
import { HealthTracker } from '../../core/health.js';
import { mapReading, type MappingMemory, type RawReading } from '../../core/mapping.js';
import type { ModbusBinding, ModbusConfig, PollGroup } from './config.js';
import { decodeRegisters, encodeRegisters, exceptionName, parseAddress, planReads, type ReadSpan } from './mapping.js';
import { connectModbus, ModbusException, type ModbusTransport } from './transport.js';

export function createModbusConnector(config: ModbusConfig, context: ConnectorContext): Connector {
  const health = new HealthTracker(context.now);
  const memory: MappingMemory = new Map();
  /** The raw value last dead-lettered per binding: a register stuck on a bad value is reported once, not every poll. */
  const lastRejected = new Map<string, string>();
  const retry = new RetryTimer(context.backoff({ initialMs: 500, maxMs: 30_000 }));
  const source = { system: context.system, connector: context.id };
  const endpoint = `${config.host}:${config.port}`;
  const plans = config.pollGroups.map((group) => ({ group, spans: planReads(group.bindings) }));
  const bindingsByAddress = new Map<string, ModbusBinding>(config.pollGroups.flatMap((group) => group.bindings.map((binding) => [binding.address, binding] as const)));
  let transport: ModbusTransport | undefined;
  let stopped = true;
  const pollTimers: NodeJS.Timeout[] = [];
  let polls = 0;
  let exceptions = 0;
  /** Poll groups whose last poll met an exception: the connector is degraded while any is. */
  const failingGroups = new Set<string>();

  health.setDetails({ endpoint, unitId: config.unitId, pollGroups: config.pollGroups.length });

  async function connect(): Promise<void> {
    if (stopped) return;
    health.set('connecting');
    try {
      const opened = await connectModbus({ host: config.host, port: config.port, unitId: config.unitId, timeoutMs: config.timeoutMs, onClose });
      if (stopped) return opened.close();
      transport = opened;
      retry.succeeded();
      failingGroups.clear();
      health.set('connected');
      for (const plan of plans) schedulePoll(plan.group, plan.spans, 0);
    } catch (error) {
      if (stopped) return;
      health.set('disconnected', { message: `${endpoint}: ${describeError(error)}`, code: 'PF_ERR_PROTOCOL' });
      scheduleReconnect();
    }
  }

  function onClose(): void {
    transport = undefined;
    for (const timer of pollTimers.splice(0)) clearTimeout(timer);
    if (stopped) return;
    health.set('disconnected', { message: `${endpoint}: connection lost`, code: 'PF_ERR_PROTOCOL' });
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (!stopped) retry.schedule(() => void connect());
  }

  function schedulePoll(group: PollGroup, spans: ReadSpan[], delay: number): void {
    const timer = setTimeout(() => {
      pollTimers.splice(pollTimers.indexOf(timer), 1);
      const started = context.now();
      void poll(group.id, spans).then(() => {
        if (!stopped && transport !== undefined) schedulePoll(group, spans, Math.max(0, group.intervalMs - (context.now() - started)));
      });
    }, delay);
    pollTimers.push(timer);
  }

  async function poll(groupId: string, spans: ReadSpan[]): Promise<void> {
    const open = transport;
    if (open === undefined) return;
    const ts = context.now();
    const readings: Array<[ModbusBinding, RawReading]> = [];
    let spanFailed = false;
    for (const span of spans) {
      try {
        const result = await open.read(span.table, span.start, span.count);
        for (const binding of span.bindings) {
          const offset = parseAddress(binding.address).offset - span.start;
          const value = result.bits !== undefined ? Boolean(result.bits[offset]) : decodeRegisters(result.registers!, offset, binding);
          readings.push([binding, { address: binding.address, value, ts, quality: 'good' }]);
        }
      } catch (error) {
        if (!(error instanceof ModbusException)) {
          // Timeouts and socket errors: the connection is not trustworthy any more.
          health.set('disconnected', { message: `${endpoint}: ${describeError(error)}`, code: 'PF_ERR_PROTOCOL' });
          open.close();
          return;
        }
        exceptions += 1;
        spanFailed = true;
        const status = exceptionName(error.code);
        for (const binding of span.bindings) readings.push([binding, { address: binding.address, value: null, ts, quality: 'bad', status }]);
      }
    }
    polls += 1;
    health.setDetails({ polls, exceptions });
    if (spanFailed) failingGroups.add(groupId);
    else failingGroups.delete(groupId);
    if (failingGroups.size > 0 && health.state === 'connected') health.set('degraded', { message: `${endpoint}: poll group ${groupId} was answered with a Modbus exception` });
    else if (failingGroups.size === 0 && health.state === 'degraded') health.set('connected');
    await emit(readings);
  }

  async function emit(readings: Array<[ModbusBinding, RawReading]>): Promise<void> {
    const events: EventInput[] = [];
    const samples: Sample[] = [];
    for (const [binding, reading] of readings) {
      const result = mapReading(binding, reading, memory, source);
      if (result.kind !== 'reject') lastRejected.delete(`${binding.address}\u0000${binding.signal}`);
      if (result.kind === 'sample') samples.push(result.sample);
      else if (result.kind === 'event') events.push(result.event);
      else if (result.kind === 'reject') {
        const key = `${binding.address}\u0000${binding.signal}`;
        const raw = JSON.stringify(reading.value);
        if (lastRejected.get(key) === raw) continue;
        lastRejected.set(key, raw);
        await context.sink.deadLetter(new TextEncoder().encode(JSON.stringify({ address: reading.address, value: reading.value, status: reading.status })), {
          code: result.code,
          message: reading.status === undefined ? result.message : `${result.message} (${reading.status})`,
          address: reading.address,
          contentType: 'application/json',
        });
      }
    }
    try {
      if (samples.length > 0) await context.sink.samples(samples);
      if (events.length > 0) await context.sink.events(events);
    } catch (error) {
      context.log.error(`ingest failed: ${describeError(error)}`);
    }
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
      for (const timer of pollTimers.splice(0)) clearTimeout(timer);
      transport?.close();
      transport = undefined;
      if (health.state !== 'stopped') health.set('stopped');
    },

    health: () => health.get(),

    /** Writes a holding register value (encoded as its binding's type) or a coil. */
    async write(request: WriteRequest): Promise<WriteResult> {
      if (transport === undefined) return { ok: false, message: 'not connected' };
      const { table, offset } = parseAddress(request.address);
      const binding = bindingsByAddress.get(request.address) ?? { type: 'uint16' as const, byteOrder: 'big' as const, wordOrder: 'big' as const };
      try {
        if (table === 'coil') await transport.writeCoil(offset, Boolean(request.value));
        else if (table === 'holding') await transport.writeRegisters(offset, encodeRegisters(Number(request.value), binding));
        else return { ok: false, message: `${table} is read-only` };
        return { ok: true };
      } catch (error) {
        return { ok: false, ...(error instanceof ModbusException ? { status: exceptionName(error.code) } : {}), message: describeError(error) };
      }
    },
  };
}
