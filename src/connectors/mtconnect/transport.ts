/**
 * A thin HTTP client for one MTConnect agent over node:http(s): plain requests (probe, current, sample) on one
 * keep-alive connection, and the long streaming sample request whose parts come out of the multipart parser as they
 * arrive. `close()` destroys every socket, so a stopped connector leaves nothing open.
 */
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { ProtocolError } from '../../core/errors.js';
import { boundaryOf, MultipartParser, type MultipartPart } from './multipart.js';

export interface AgentResponse {
  status: number;
  contentType: string;
  body: Buffer;
  /** The request path, for messages and dead-letter addresses. */
  path: string;
}

export interface AgentStream {
  /** Parts in order; ends (or throws) when the connection does. */
  parts: AsyncIterable<MultipartPart>;
  close(): void;
}

/** A streaming request is answered either with a multipart stream or, by agents that cannot stream, with one document. */
export type StreamAnswer = { kind: 'multipart'; stream: AgentStream } | { kind: 'document'; response: AgentResponse };

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class AgentClient {
  readonly #base: URL;
  readonly #timeoutMs: number;
  readonly #keepAlive: http.Agent;
  readonly #requests = new Set<ClientRequest>();
  #closed = false;

  /** @param baseUrl the agent's URL, possibly with a device path (`http://agent:5000/VMC-3Axis`). */
  constructor(baseUrl: string, timeoutMs: number) {
    this.#base = new URL(baseUrl);
    this.#timeoutMs = timeoutMs;
    const options = { keepAlive: true, maxSockets: 1 };
    this.#keepAlive = this.#base.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
  }

  /** `probe`, `current`, `sample?from=..` under the base URL's path. */
  pathOf(request: string): string {
    return `${this.#base.pathname.replace(/\/$/, '')}/${request}`;
  }

  /** One request, the whole body read within the timeout. @throws ProtocolError on a connection failure or timeout. */
  async get(request: string): Promise<AgentResponse> {
    const path = this.pathOf(request);
    const response = await this.#open(path, this.#keepAlive, this.#timeoutMs);
    const deadline = setTimeout(() => response.destroy(new ProtocolError(`${this.#where(path)}: answer not complete within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    try {
      return { status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? '', body: await readBody(response, path), path };
    } finally {
      clearTimeout(deadline);
    }
  }

  /**
   * Opens a streaming sample request. Silence longer than `silenceMs` (no part, no heartbeat) destroys the
   * connection, which ends the parts with an error saying so. @throws ProtocolError when the request cannot be made.
   */
  async stream(request: string, silenceMs: number): Promise<StreamAnswer> {
    const path = this.pathOf(request);
    // Its own connection: the agent holds it for as long as the stream lasts.
    const response = await this.#open(path, false, this.#timeoutMs);
    const contentType = response.headers['content-type'] ?? '';
    const boundary = boundaryOf(contentType);
    const status = response.statusCode ?? 0;
    if (boundary === undefined || status !== 200) return { kind: 'document', response: { status, contentType, body: await readBody(response, path), path } };
    const parser = new MultipartParser(boundary);
    let silence: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(silence);
      silence = setTimeout(() => response.destroy(new ProtocolError(`${this.#where(path)}: no data or heartbeat within ${silenceMs} ms`)), silenceMs);
    };
    arm();
    async function* parts(): AsyncGenerator<MultipartPart> {
      try {
        for await (const chunk of response) {
          arm();
          for (const part of parser.push(chunk as Buffer)) yield part;
          if (parser.closed) return;
        }
      } finally {
        clearTimeout(silence);
      }
    }
    const close = (): void => {
      clearTimeout(silence);
      response.destroy();
    };
    return { kind: 'multipart', stream: { parts: parts(), close } };
  }

  /** Destroys every open request and socket; later requests fail at once. */
  close(): void {
    this.#closed = true;
    for (const request of this.#requests) request.destroy();
    this.#requests.clear();
    this.#keepAlive.destroy();
  }

  #where(path: string): string {
    return `${this.#base.origin}${path}`;
  }

  /** Sends a GET; resolves when the answer's headers are in, within `timeoutMs`. */
  #open(path: string, agent: http.Agent | false, timeoutMs: number): Promise<IncomingMessage> {
    const where = this.#where(path);
    if (this.#closed) return Promise.reject(new ProtocolError(`${where}: client closed`));
    const url = new URL(path, this.#base);
    const get = url.protocol === 'https:' ? https.get : http.get;
    return new Promise((resolve, reject) => {
      const request = get(url, { agent, headers: { accept: 'application/xml, text/xml' } }, (response) => {
        clearTimeout(timer);
        response.once('close', () => this.#requests.delete(request));
        resolve(response);
      });
      this.#requests.add(request);
      const timer = setTimeout(() => request.destroy(new ProtocolError(`${where}: no answer within ${timeoutMs} ms`)), timeoutMs);
      // `on`, not `once`: a request destroyed after its answer began can report a second error.
      request.on('error', (error) => {
        clearTimeout(timer);
        this.#requests.delete(request);
        reject(error instanceof ProtocolError ? error : new ProtocolError(`${where}: ${error.message}`, { cause: error }));
      });
    });
  }
}

function readBody(response: IncomingMessage, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) response.destroy(new ProtocolError(`${path}: answer larger than ${MAX_BODY_BYTES} bytes`));
      else chunks.push(chunk);
    });
    response.once('end', () => resolve(Buffer.concat(chunks)));
    response.once('error', (error) => reject(error instanceof ProtocolError ? error : new ProtocolError(`${path}: ${error.message}`, { cause: error })));
    // A destroyed response (timeout, close()) may end with neither 'end' nor 'error' in some Node versions.
    response.once('close', () => {
      if (!response.complete) reject(new ProtocolError(`${path}: connection closed before the answer was complete`));
    });
  });
}
