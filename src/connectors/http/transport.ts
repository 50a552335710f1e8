/**
 * A thin GET for the REST connector over node:http / node:https with an agent of its own: keep-alive between polls,
 * a whole-request deadline, a response size cap, and every socket closed by `close()` (the global fetch keeps idle
 * sockets in a process-wide pool that a connector cannot close when it stops). Failures to reach the server are told
 * apart from answers: an answer, whatever its status, is returned; only "no answer" throws.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpResponse {
  status: number;
  statusText: string;
  contentType: string | undefined;
  body: Uint8Array;
}

/** No answer: refused, reset, timed out, or the answer was too large. `reason` tells which. */
export class TransportError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'timeout' | 'too-large' | 'aborted',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface HttpTransportOptions {
  timeoutMs: number;
  maxResponseBytes: number;
}

export class HttpTransport {
  readonly #options: HttpTransportOptions;
  readonly #http = new HttpAgent({ keepAlive: true, maxSockets: 4 });
  readonly #https = new HttpsAgent({ keepAlive: true, maxSockets: 4 });
  readonly #inFlight = new Set<(error: TransportError) => void>();

  constructor(options: HttpTransportOptions) {
    this.#options = options;
  }

  /**
   * GETs `url`; resolves with any HTTP answer.
   * @throws TransportError when no complete answer arrived
   */
  get(url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    return new Promise<HttpResponse>((resolve, reject) => {
      const request = send(url, { method: 'GET', headers: { accept: 'application/json', ...headers }, agent: secure ? this.#https : this.#http });
      let settled = false;
      // Settles once, whatever fires first (answer, error, deadline, stop), and frees the deadline and the socket.
      const fail = (error: TransportError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        this.#inFlight.delete(abort);
        request.destroy();
        reject(error);
      };
      const abort = (error: TransportError): void => fail(error);
      this.#inFlight.add(abort);
      const deadline = setTimeout(() => fail(new TransportError('timeout', `no answer within ${this.#options.timeoutMs} ms`)), this.#options.timeoutMs);
      request.on('error', (error) => fail(new TransportError('unreachable', error.message, { cause: error })));
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.#options.maxResponseBytes) fail(new TransportError('too-large', `response is larger than ${this.#options.maxResponseBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          this.#inFlight.delete(abort);
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            contentType: response.headers['content-type'],
            body: Buffer.concat(chunks),
          });
        });
        response.on('error', (error) => fail(new TransportError('unreachable', error.message, { cause: error })));
        response.on('close', () => fail(new TransportError('unreachable', 'connection closed before the answer was complete')));
      });
      request.end();
    });
  }

  /** Aborts what is in flight and closes every socket. */
  close(): void {
    for (const abort of [...this.#inFlight]) abort(new TransportError('aborted', 'connector stopped'));
    this.#http.destroy();
    this.#https.destroy();
  }
}
