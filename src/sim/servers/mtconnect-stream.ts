/**
 * One streaming sample request of the MTConnect agent (`sample?interval=..&heartbeat=..`): a multipart/x-mixed-replace
 * answer whose parts are whole MTConnectStreams documents. New observations go out as soon as they are buffered, at
 * least `interval` ms apart; after `heartbeat` ms without a part an empty document proves the stream alive. The
 * intervals are real time (they pace the connection); the documents carry simulated time.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { BufferedObservation, BufferSlice } from './mtconnect-buffer.js';

/** One streaming request: its response, where it starts, its pacing, and how it reads the buffer and writes documents. */
export interface SampleStreamOptions {
  res: ServerResponse;
  /** The first sequence number to send. */
  from: number;
  intervalMs: number;
  heartbeatMs: number;
  /** The buffer from a sequence number on (at most the request's count, only the devices asked for). */
  read(cursor: number): BufferSlice;
  /** A streams document of these observations with this nextSequence. */
  render(entries: readonly BufferedObservation[], nextSequence: number): string;
}

/** The multipart boundary: unique enough that no XML document contains it. */
const boundaryFor = (): string => `mtconnect-${performance.now().toString(36).replace('.', '')}-${Math.random().toString(36).slice(2, 12)}`;

/** Serves one streaming sample request until the client leaves or the agent stops; see the module comment. */
export class SampleStream {
  readonly #options: SampleStreamOptions;
  readonly #boundary = boundaryFor();
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  /** Ends the current wait; set while waiting. */
  #resume: (() => void) | undefined;
  /** Whether new observations end the current wait (not during the interval after a part). */
  #wakeOnData = false;

  constructor(options: SampleStreamOptions) {
    this.#options = options;
  }

  /** New observations are buffered: a stream waiting for data looks again. */
  wake(): void {
    if (this.#wakeOnData) this.#resume?.();
  }

  /** Ends the stream at once: the connection is destroyed, as an agent going away does. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#resume?.();
    this.#options.res.destroy();
  }

  /** Sends parts until the client goes or `close()` is called. */
  async run(): Promise<void> {
    const { res, intervalMs, heartbeatMs } = this.#options;
    res.on('close', () => this.close());
    res.writeHead(200, { 'content-type': `multipart/x-mixed-replace;boundary=${this.#boundary}`, 'cache-control': 'no-cache, private', connection: 'close' });
    res.flushHeaders();
    let cursor = this.#options.from;
    let lastPart = performance.now();
    try {
      while (!this.#closed) {
        const slice = this.#options.read(cursor);
        if (slice.entries.length > 0) {
          cursor = slice.nextSequence;
          await this.#send(this.#options.render(slice.entries, cursor));
          lastPart = performance.now();
          await this.#wait(intervalMs, false);
          continue;
        }
        // Observations of other devices move the cursor on without a part.
        cursor = Math.max(cursor, slice.nextSequence);
        const untilHeartbeat = lastPart + heartbeatMs - performance.now();
        if (untilHeartbeat > 0) {
          await this.#wait(untilHeartbeat, true);
          continue;
        }
        await this.#send(this.#options.render([], cursor));
        lastPart = performance.now();
      }
    } catch (error) {
      // A write on a connection torn down under us: nothing more can be sent on it.
      res.destroy(error instanceof Error ? error : new Error(String(error)));
      this.close();
    }
  }

  /** Writes one part; waits while the socket's buffer is full. */
  async #send(xml: string): Promise<void> {
    if (this.#closed) return;
    const body = Buffer.from(xml, 'utf8');
    const head = Buffer.from(`--${this.#boundary}\r\nContent-type: text/xml\r\nContent-length: ${body.length}\r\n\r\n`);
    const res = this.#options.res;
    if (res.write(Buffer.concat([head, body, Buffer.from('\r\n')]))) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        this.#resume = undefined;
        resolve();
      };
      res.once('drain', done);
      this.#resume = done;
    });
  }

  /** Waits `ms`, or less when closed (and, with `wakeOnData`, when observations arrive). */
  #wait(ms: number, wakeOnData: boolean): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        this.#resume = undefined;
        this.#wakeOnData = false;
        resolve();
      };
      this.#resume = done;
      this.#wakeOnData = wakeOnData;
      this.#timer = setTimeout(done, ms);
    });
  }
}
