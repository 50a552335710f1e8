/**
 * The MTConnect connector: one agent. It learns the device model from `probe`, takes the starting point from
 * `current`, then follows the agent's buffer by sequence number — one long streaming `sample` request (multipart,
 * with heartbeats) or repeated `sample?from=..&count=..` polls. Every answer is checked against the cursor first: an
 * agent restart (new instanceId) or lost sequences (buffer overrun, OUT_OF_RANGE) are reported in health and the log,
 * never silently, and the connector resynchronises from `current`. MTConnect is read-only: there is no write.
 */
import type { Connector, ConnectorContext } from '../../core/connector.js';
import { describeError, ProtocolError } from '../../core/errors.js';
import { HealthTracker } from '../../core/health.js';
import type { MappingMemory } from '../../core/mapping.js';
import type { MtconnectConfig } from './config.js';
import { parseAgentDocument, type AgentDocument, type DataItemInfo, type StreamsDocument } from './documents.js';
import { mapObservations, type ConditionMemory } from './mapping.js';
import { checkErrorDocument, checkStreamsHeader, describeAgentErrors, lostRange, type LostRange, type SequenceCursor, type SequenceVerdict } from './sequence.js';
import { AgentClient, type AgentResponse } from './transport.js';

/** Lost ranges kept in health details; the counters keep the totals. */
const LOST_RANGES_SHOWN = 20;

/** An answer that is not a usable MTConnect document; already dead-lettered when thrown. */
class MalformedAnswer extends Error {}

export function createMtconnectConnector(config: MtconnectConfig, context: ConnectorContext): Connector {
  const health = new HealthTracker(context.now);
  const memory: MappingMemory = new Map();
  const conditions: ConditionMemory = new Map();
  const backoff = context.backoff({ initialMs: 500, maxMs: 30_000 });
  const source = { system: context.system, connector: context.id };
  const silenceMs = config.heartbeatMs + config.timeoutMs;
  const origin = new URL(config.url).origin;
  const counters = { documents: 0, observations: 0, heartbeats: 0, agentRestarts: 0, gaps: 0, lostObservations: 0, malformedDocuments: 0 };
  const lostRanges: LostRange[] = [];
  let catalogue: Map<string, DataItemInfo> | undefined;
  let probeInstanceId: string | undefined;
  let cursor: SequenceCursor | undefined;
  /** A gap seen but not yet measured: its end is known once `current` gives the sequence we resume from. */
  let pendingGap: Extract<SequenceVerdict, { kind: 'gap' }> | undefined;
  /** Problems of the configuration against the device model (unknown data items): degraded while any remain. */
  let bindingProblems: string[] = [];
  let streaming = config.mode === 'stream';
  let client: AgentClient | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let sleepTimer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  health.setDetails({ url: config.url, mode: config.mode, bindings: config.bindings.length, ...counters, lostRanges: [] });

  const lookup = (deviceUuid: string, dataItemId: string): DataItemInfo | undefined => catalogue?.get(`${deviceUuid}\u0000${dataItemId}`);

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (stopped) return resolve();
      wake = resolve;
      sleepTimer = setTimeout(() => {
        sleepTimer = undefined;
        wake = undefined;
        resolve();
      }, ms);
    });
  }

  /** connected, or degraded while the bindings do not fit the device model. */
  function settle(): void {
    if (bindingProblems.length > 0) {
      if (health.state !== 'degraded' || health.get().lastError?.message !== bindingProblems[0]) health.set('degraded', { message: bindingProblems[0]!, code: 'PF_ERR_CONFIG_INVALID' });
    } else if (health.state !== 'connected') {
      health.set('connected');
    }
  }

  async function run(): Promise<void> {
    while (!stopped) {
      try {
        if (health.state === 'stopped' || health.state === 'disconnected') health.set('connecting');
        if (catalogue === undefined) await probe();
        else if (cursor === undefined) await synchronise();
        else await (streaming ? followStream() : followPolls());
        backoff.reset();
      } catch (error) {
        if (stopped) return;
        if (error instanceof MalformedAnswer) health.set('degraded', { message: error.message, code: 'PF_ERR_INGEST_DECODE' });
        else health.set('disconnected', { message: describeError(error), code: 'PF_ERR_PROTOCOL' });
        await sleep(backoff.next() ?? 30_000);
      }
    }
  }

  /** Parses an answer; a 2xx answer that is not a usable document is dead-lettered with its bytes. */
  async function parse(response: Pick<AgentResponse, 'status' | 'body' | 'path'>, contentType = 'text/xml'): Promise<AgentDocument> {
    const parsed = parseAgentDocument(response.body);
    if (parsed.ok) return parsed.document;
    const where = `${origin}${response.path}`;
    // A proxy's error page is a connection problem, not agent data.
    if (response.status < 200 || response.status >= 300) throw new ProtocolError(`${where}: HTTP ${response.status}`);
    counters.malformedDocuments += 1;
    health.setDetails({ malformedDocuments: counters.malformedDocuments });
    const message = `${where}: ${parsed.message}`;
    context.log.warn(`malformed answer kept as a dead letter: ${message}`);
    await context.sink.deadLetter(response.body, { code: 'PF_ERR_INGEST_DECODE', message, address: response.path, contentType }).catch((error: unknown) => {
      context.log.error(`could not keep a dead letter: ${describeError(error)}`);
    });
    throw new MalformedAnswer(message);
  }

  function unexpected(document: AgentDocument, request: string): never {
    if (document.kind === 'error') throw new ProtocolError(`${origin}: ${request} refused: ${describeAgentErrors(document)}`);
    throw new ProtocolError(`${origin}: ${request} answered with an MTConnect${document.kind === 'devices' ? 'Devices' : 'Streams'} document`);
  }

  async function probe(): Promise<void> {
    const document = await parse(await client!.get('probe'));
    if (document.kind !== 'devices') unexpected(document, 'probe');
    // A cursor kept over a stop and start may belong to an agent instance that is gone.
    if (cursor !== undefined && cursor.instanceId !== document.instanceId) agentRestarted(cursor.instanceId, document.instanceId);
    catalogue = new Map(document.dataItems.map((item) => [`${item.deviceUuid}\u0000${item.id}`, item]));
    probeInstanceId = document.instanceId;
    bindingProblems = config.bindings.flatMap((binding) => {
      const name = binding.device === undefined ? binding.dataItemId : `${binding.device}/${binding.dataItemId}`;
      const items = document.dataItems.filter((item) => item.id === binding.dataItemId && (binding.device === undefined || [item.device, item.deviceUuid].includes(binding.device)));
      if (items.length === 0) return [`binding ${name}: the agent's probe has no such data item`];
      if (items.some((item) => item.category === 'CONDITION') && binding.as !== 'alarm') return [`binding ${name}: a CONDITION data item maps only as: alarm`];
      return [];
    });
    for (const problem of bindingProblems) context.log.warn(problem);
    health.setDetails({ devices: document.devices.map((device) => device.name), dataItems: document.dataItems.length, instanceId: document.instanceId, bindingProblems });
  }

  async function synchronise(): Promise<void> {
    const document = await parse(await client!.get('current'));
    if (document.kind !== 'streams') unexpected(document, 'current');
    if (document.header.instanceId !== probeInstanceId) {
      // Restarted between probe and current: its device model may have changed too.
      context.log.warn(`agent instance changed between probe and current (${probeInstanceId ?? '?'} → ${document.header.instanceId}); probing again`);
      catalogue = undefined;
      return;
    }
    if (pendingGap !== undefined) {
      const lost = lostRange(pendingGap, document.header.instanceId, document.header.nextSequence, new Date(context.now()).toISOString());
      pendingGap = undefined;
      if (lost !== undefined) recordLoss(lost);
    }
    await emit(document, true);
    cursor = { instanceId: document.header.instanceId, next: document.header.nextSequence };
    health.setDetails({ nextSequence: cursor.next });
    settle();
  }

  function recordLoss(lost: LostRange): void {
    counters.lostObservations += lost.to - lost.from + 1;
    lostRanges.push(lost);
    lostRanges.splice(0, Math.max(0, lostRanges.length - LOST_RANGES_SHOWN));
    health.setDetails({ lostObservations: counters.lostObservations, lostRanges: [...lostRanges] });
    context.log.warn(`observations ${lost.from}..${lost.to} were not read one by one (${lost.reason}); resumed from current`, { ...lost });
  }

  function agentRestarted(previousInstanceId: string, instanceId: string): void {
    counters.agentRestarts += 1;
    const lastRead = cursor === undefined ? undefined : cursor.next - 1;
    const message = `agent restarted (instanceId ${previousInstanceId} → ${instanceId}); observations of the old instance after sequence ${lastRead ?? '?'} could not be read; resynchronising from probe and current`;
    context.log.warn(message);
    health.setDetails({ agentRestarts: counters.agentRestarts, lastRestart: { previousInstanceId, instanceId, lastSequenceRead: lastRead, at: new Date(context.now()).toISOString() } });
    health.set('degraded', { message: `${origin}: ${message}`, code: 'PF_ERR_PROTOCOL' });
    catalogue = undefined;
    cursor = undefined;
  }

  /** Uses a sample answer or stream part if it follows the cursor; otherwise arranges the resync. False when resyncing. */
  async function accept(document: AgentDocument, request: string, streamed: boolean): Promise<boolean> {
    const at = cursor!;
    if (document.kind === 'devices') unexpected(document, request);
    const verdict = document.kind === 'streams' ? checkStreamsHeader(at, document.header) : checkErrorDocument(at, document);
    switch (verdict.kind) {
      case 'in-order': {
        const streams = document as StreamsDocument;
        if (streamed && streams.observations.length === 0) counters.heartbeats += 1;
        await emit(streams, false);
        cursor = { instanceId: at.instanceId, next: Math.max(at.next, streams.header.nextSequence) };
        health.setDetails({ nextSequence: cursor.next, heartbeats: counters.heartbeats });
        settle();
        return true;
      }
      case 'agent-restarted':
        agentRestarted(verdict.previousInstanceId, verdict.instanceId);
        return false;
      case 'gap': {
        counters.gaps += 1;
        pendingGap = verdict;
        const message = `${origin}: sequence gap from ${verdict.from} (${verdict.reason}${verdict.firstAvailable === undefined ? '' : `, agent's firstSequence ${verdict.firstAvailable}`}); resynchronising from current`;
        context.log.warn(message);
        health.setDetails({ gaps: counters.gaps });
        health.set('degraded', { message, code: 'PF_ERR_PROTOCOL' });
        cursor = undefined;
        return false;
      }
      case 'refused':
        throw new ProtocolError(`${origin}: ${request} refused: ${verdict.message}`);
    }
  }

  async function followPolls(): Promise<void> {
    while (!stopped && cursor !== undefined) {
      const request = `sample?from=${cursor.next}&count=${config.count}`;
      const response = await client!.get(request);
      const document = await parse(response);
      if (!(await accept(document, request, false))) return;
      // A full answer means more is waiting; otherwise wait for the agent to collect some.
      const streams = document as StreamsDocument;
      if (streams.header.nextSequence > streams.header.lastSequence) await sleep(config.intervalMs);
    }
  }

  async function followStream(): Promise<void> {
    const at = cursor!;
    const request = `sample?from=${at.next}&count=${config.count}&interval=${config.intervalMs}&heartbeat=${config.heartbeatMs}`;
    const answer = await client!.stream(request, silenceMs);
    if (answer.kind === 'document') {
      const document = await parse(answer.response);
      if (document.kind === 'streams' && answer.response.status === 200) {
        // The agent ignored `interval`: it cannot stream (or a proxy buffers). Polling gets the same data.
        context.log.warn(`${origin} answered a streaming request with one document; polling instead`);
        streaming = false;
        health.setDetails({ mode: 'poll' });
      }
      await accept(document, request, false);
      return;
    }
    try {
      for await (const part of answer.stream.parts) {
        const document = await parse({ status: 200, body: part.body, path: client!.pathOf(request) }, part.headers['content-type']);
        if (!(await accept(document, request, true))) return;
      }
      if (!stopped) throw new ProtocolError(`${origin}: the agent ended the stream`);
    } finally {
      answer.stream.close();
    }
  }

  async function emit(document: StreamsDocument, snapshot: boolean): Promise<void> {
    counters.documents += 1;
    counters.observations += document.observations.length;
    health.setDetails({ documents: counters.documents, observations: counters.observations });
    const mapped = mapObservations(document.observations, config.bindings, lookup, memory, conditions, source, snapshot);
    for (const { observation, code, message } of mapped.rejected) {
      await context.sink
        .deadLetter(new TextEncoder().encode(JSON.stringify(observation)), { code, message, address: `${observation.device}/${observation.dataItemId}`, contentType: 'application/json' })
        .catch((error: unknown) => context.log.error(`could not keep a dead letter: ${describeError(error)}`));
    }
    try {
      if (mapped.samples.length > 0) await context.sink.samples(mapped.samples);
      if (mapped.events.length > 0) await context.sink.events(mapped.events);
    } catch (error) {
      context.log.error(`ingest failed: ${describeError(error)}`);
      if (health.state === 'connected') health.set('degraded', { message: describeError(error) });
    }
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      // The device model may have changed while we were stopped; the cursor is kept, so nothing buffered is skipped.
      catalogue = undefined;
      client = new AgentClient(config.url, config.timeoutMs);
      // Not awaited: an agent that is down must not hold up the plant's start; health shows the retries.
      running = run();
    },

    async stop() {
      stopped = true;
      clearTimeout(sleepTimer);
      sleepTimer = undefined;
      wake?.();
      client?.close();
      await running;
      client = undefined;
      running = undefined;
      if (health.state !== 'stopped') health.set('stopped');
    },

    health: () => health.get(),
  };
}
