/**
 * The demo plant's MTConnect agent (MTConnect 1.7, HTTP on node:http) for the CNC machines: it numbers the CNC feed's
 * observations in a rolling buffer and answers probe, current (`at=`) and sample (`from=`, `count=`), for all devices
 * or one (`/cnc-1/current`), and streams `sample?interval=..&heartbeat=..` as multipart/x-mixed-replace, each part a
 * whole MTConnectStreams document, an empty one as heartbeat. Timestamps are the plant's simulated times.
 *
 * Every start is a new agent instance, as a restarted cppagent is: a new instanceId, sequence numbers from 1, the
 * buffer seeded with each item's current value (UNAVAILABLE for items not seen yet). While stopped it buffers
 * nothing; `stop()` closes every connection and stream and leaves no timer behind.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CncFeed } from './cnc-feed.js';
import { ObservationBuffer, type BufferedObservation } from './mtconnect-buffer.js';
import { errorDocument, EXTENSION_SCHEMA_PATH, extensionStreamsSchema, probeDocument, streamsDocument, type HeaderFields } from './mtconnect-documents.js';
import { agentStartObservations, buildDeviceModel, type AgentDevice, type DeviceModel } from './mtconnect-model.js';
import { DEFAULT_COUNT, parseAgentRequest, rangeError, type AgentRequest, type AgentRequestError } from './mtconnect-request.js';
import { SampleStream } from './mtconnect-stream.js';

/** Where and what the agent serves. */
export interface MtconnectAgentOptions {
  host: string;
  /** 0 picks a free port; a restart reuses the port first picked. */
  port: number;
  /** Observations the buffer holds (cppagent's BufferSize, 2^17 by default). */
  bufferSize: number;
  feed: CncFeed;
  /** Simulated now (epoch ms): the time of documents and of the UNAVAILABLE seeds. */
  now(): number;
  /** The Header's sender. */
  sender?: string;
}

/** One run of the agent, from start to stop. */
interface Instance {
  id: number;
  startedAt: number;
  buffer: ObservationBuffer;
  unsubscribe: () => void;
  streams: Set<SampleStream>;
}

const XML = { 'content-type': 'text/xml; charset=utf-8' } as const;

/** The MTConnect agent; see the module comment. */
export class MtconnectAgent {
  readonly #options: MtconnectAgentOptions;
  readonly #model: DeviceModel;
  #port: number;
  #server: Server | undefined;
  #instance: Instance | undefined;
  #lastInstanceId = 0;

  constructor(options: MtconnectAgentOptions) {
    this.#options = options;
    this.#port = options.port;
    this.#model = buildDeviceModel(options.feed.dataItems());
  }

  /** http://host:port, without a trailing slash. */
  get url(): string {
    return `http://${this.#options.host}:${this.#port}`;
  }

  get running(): boolean {
    return this.#server !== undefined;
  }

  /** The running instance's id, undefined while stopped. */
  get instanceId(): number | undefined {
    return this.#instance?.id;
  }

  /** The next sequence number of the running instance (0 while stopped). */
  get nextSequence(): number {
    return this.#instance?.buffer.nextSequence ?? 0;
  }

  /** The device model served (Agent and CNC devices). */
  get model(): DeviceModel {
    return this.#model;
  }

  /** Starts a new instance and listens. @throws the listen error (e.g. EADDRINUSE); nothing is left running then */
  async start(): Promise<void> {
    if (this.#server !== undefined) return;
    const instance = this.#newInstance();
    const server = createServer((req, res) => this.#handle(instance, req, res));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.#port, this.#options.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      instance.unsubscribe();
      throw error;
    }
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    this.#instance = instance;
  }

  /** Stops buffering, ends every stream and closes every connection. */
  async stop(): Promise<void> {
    const server = this.#server;
    const instance = this.#instance;
    this.#server = undefined;
    this.#instance = undefined;
    if (instance !== undefined) {
      instance.unsubscribe();
      for (const stream of instance.streams) stream.close();
    }
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  #newInstance(): Instance {
    // Like cppagent: the start time in seconds; one more than the last when restarted within the same second.
    const id = Math.max(Math.floor(Date.now() / 1000), this.#lastInstanceId + 1);
    this.#lastInstanceId = id;
    const { items } = this.#model;
    const buffer = new ObservationBuffer(this.#options.bufferSize, (dataItemId) => items.get(dataItemId)?.category === 'CONDITION');
    const startedAt = this.#options.now();
    const seen = new Map(this.#options.feed.current().map((observation) => [observation.dataItemId, observation]));
    const seeds = [...agentStartObservations(this.#model, startedAt)];
    for (const item of items.values()) {
      if (item.device === this.#model.agent.name) continue;
      seeds.push(seen.get(item.id) ?? { device: item.device, dataItemId: item.id, value: 'UNAVAILABLE', ts: startedAt });
    }
    // Oldest first, so sequence numbers follow time as far as the seeds allow.
    for (const observation of seeds.sort((a, b) => a.ts - b.ts)) buffer.append(observation);
    const streams = new Set<SampleStream>();
    const unsubscribe = this.#options.feed.subscribe((observations) => {
      for (const observation of observations) buffer.append(observation);
      for (const stream of streams) stream.wake();
    });
    return { id, startedAt, buffer, unsubscribe, streams };
  }

  #header(instance: Instance): HeaderFields {
    return {
      instanceId: instance.id,
      sender: this.#options.sender ?? 'plantfabric-demo-plant',
      bufferSize: instance.buffer.capacity,
      creationTime: this.#options.now(),
      deviceModelChangeTime: instance.startedAt,
    };
  }

  /** The devices a request is about; a probe of one device keeps the Agent ahead of it, as the 1.7 schema requires. */
  #devices(device: string | undefined, forProbe: boolean): AgentDevice[] {
    const { agent, devices } = this.#model;
    const all = [agent, ...devices];
    if (device === undefined) return all;
    const chosen = all.filter((candidate) => candidate.name === device);
    return forProbe && device !== agent.name ? [agent, ...chosen] : chosen;
  }

  #handle(instance: Instance, req: IncomingMessage, res: ServerResponse): void {
    const { agent, devices } = this.#model;
    const method = req.method ?? 'GET';
    const request = parseAgentRequest(method, req.url ?? '/', [agent, ...devices], [EXTENSION_SCHEMA_PATH]);
    if (request.kind === 'error') return this.#refuse(instance, res, request);
    const { buffer } = instance;
    const outOfRange = rangeError(request, { firstSequence: buffer.firstSequence, nextSequence: buffer.nextSequence, bufferSize: buffer.capacity });
    if (outOfRange !== undefined) return this.#refuse(instance, res, outOfRange);
    this.#answer(instance, request, method, res);
  }

  #answer(instance: Instance, request: AgentRequest, method: string, res: ServerResponse): void {
    const { buffer } = instance;
    switch (request.kind) {
      case 'schema':
        res.writeHead(200, XML).end(extensionStreamsSchema(this.#model));
        return;
      case 'probe':
        res.writeHead(200, XML).end(probeDocument(this.#devices(request.device, true), this.#header(instance)));
        return;
      case 'current': {
        const devices = this.#devices(request.device, false);
        const entries = buffer.current(request.at).filter(this.#acceptFor(devices));
        const nextSequence = request.at === undefined ? buffer.nextSequence : request.at + 1;
        res.writeHead(200, XML).end(this.#streams(instance, devices, entries, nextSequence));
        return;
      }
      case 'sample': {
        const devices = this.#devices(request.device, false);
        const from = request.from ?? buffer.firstSequence;
        const count = request.count ?? Math.min(DEFAULT_COUNT, buffer.capacity);
        const accept = this.#acceptFor(devices);
        if (request.stream !== undefined && method !== 'HEAD') {
          const stream = new SampleStream({
            res,
            from,
            ...request.stream,
            // Like cppagent: a stream whose position left the buffer goes on from the oldest held; the header shows it.
            read: (cursor) => buffer.slice(Math.max(cursor, buffer.firstSequence), count, accept),
            render: (entries, nextSequence) => this.#streams(instance, devices, entries, nextSequence),
          });
          instance.streams.add(stream);
          void stream.run().finally(() => instance.streams.delete(stream));
          return;
        }
        const slice = buffer.slice(from, count, accept);
        res.writeHead(200, XML).end(this.#streams(instance, devices, slice.entries, slice.nextSequence));
        return;
      }
    }
  }

  #acceptFor(devices: readonly AgentDevice[]): (entry: BufferedObservation) => boolean {
    const names = new Set(devices.map((device) => device.name));
    return (entry) => names.has(entry.observation.device);
  }

  #streams(instance: Instance, devices: readonly AgentDevice[], entries: readonly BufferedObservation[], nextSequence: number): string {
    const { buffer } = instance;
    return streamsDocument(this.#model, devices, { ...this.#header(instance), firstSequence: buffer.firstSequence, lastSequence: buffer.lastSequence, nextSequence }, entries);
  }

  #refuse(instance: Instance, res: ServerResponse, error: AgentRequestError): void {
    const headers = error.status === 405 ? { ...XML, allow: 'GET, HEAD' } : XML;
    res.writeHead(error.status, headers).end(errorDocument(this.#header(instance), error.code, error.message));
  }
}
