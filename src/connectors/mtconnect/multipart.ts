/**
 * Incremental parser for the agent's streaming answer (`multipart/x-mixed-replace` in older agents, `multipart/mixed`
 * in cppagent 2.x): bytes arrive in arbitrary chunks, complete parts come out. Each part is one MTConnectStreams
 * document — data, or an empty heartbeat.
 *
 * A part's end is taken from its Content-length header when it has one (every agent we know sends it, so a body may
 * contain anything), else from the next boundary line.
 */

export interface MultipartPart {
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
}

/** The framing cannot be followed any further; the stream must be reopened. */
export class MultipartError extends Error {}

/** The boundary named in a multipart content type, without the leading dashes; undefined when it is not multipart. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^\s*multipart\//i.test(contentType)) return undefined;
  const match = /boundary\s*=\s*("([^"]+)"|[^;\s]+)/i.exec(contentType);
  const boundary = match?.[2] ?? match?.[1];
  // Some agents write the boundary parameter with the dashes of the delimiter line already on it.
  return boundary?.replace(/^--/, '');
}

type Phase = 'preamble' | 'headers' | 'body' | 'done';

const CRLF = Buffer.from('\r\n');
/** The largest part accepted; an agent answering with more is broken (cppagent caps a document far below this). */
const DEFAULT_MAX_PART_BYTES = 64 * 1024 * 1024;

export class MultipartParser {
  readonly #delimiter: Buffer;
  readonly #bodyEnd: Buffer;
  readonly #maxPartBytes: number;
  #buffer: Buffer = Buffer.alloc(0);
  #phase: Phase = 'preamble';
  #headers: Record<string, string> = {};
  #length: number | undefined;

  constructor(boundary: string, maxPartBytes = DEFAULT_MAX_PART_BYTES) {
    this.#delimiter = Buffer.from(`--${boundary}`);
    this.#bodyEnd = Buffer.from(`\r\n--${boundary}`);
    this.#maxPartBytes = maxPartBytes;
  }

  /** True once the closing delimiter (`--boundary--`) has been read. */
  get closed(): boolean {
    return this.#phase === 'done';
  }

  /**
   * Feeds the next chunk; returns the parts it completed, in order.
   * @throws MultipartError when a part is larger than the limit or its headers cannot be read.
   */
  push(chunk: Uint8Array): MultipartPart[] {
    if (this.#phase === 'done') return [];
    this.#buffer = this.#buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#buffer, chunk]);
    const parts: MultipartPart[] = [];
    for (;;) {
      const progressed = this.#step(parts);
      if (!progressed) break;
    }
    if (this.#buffer.length > this.#maxPartBytes) throw new MultipartError(`a part exceeds ${this.#maxPartBytes} bytes without its end in sight`);
    return parts;
  }

  /** Advances one phase if the buffer holds enough; false when more bytes are needed. */
  #step(parts: MultipartPart[]): boolean {
    switch (this.#phase) {
      case 'preamble': {
        const at = this.#buffer.indexOf(this.#delimiter);
        if (at < 0) {
          // Keep only what could still be the start of a delimiter.
          this.#buffer = this.#buffer.subarray(Math.max(0, this.#buffer.length - this.#delimiter.length));
          return false;
        }
        const lineEnd = this.#buffer.indexOf('\n', at + this.#delimiter.length);
        const after = this.#buffer.subarray(at + this.#delimiter.length, at + this.#delimiter.length + 2).toString('latin1');
        if (after === '--') {
          this.#phase = 'done';
          this.#buffer = Buffer.alloc(0);
          return false;
        }
        if (lineEnd < 0) return false;
        this.#buffer = this.#buffer.subarray(lineEnd + 1);
        this.#phase = 'headers';
        this.#headers = {};
        this.#length = undefined;
        return true;
      }
      case 'headers': {
        const text = this.#buffer.toString('latin1');
        const match = /\r?\n\r?\n/.exec(text);
        // A part without headers starts its body at once (the blank line follows the delimiter directly).
        const blankAtStart = /^\r?\n/.exec(text);
        const end = blankAtStart !== null ? { index: 0, length: blankAtStart[0].length } : match === null ? undefined : { index: match.index, length: match[0].length };
        if (end === undefined) return false;
        for (const line of text.slice(0, end.index).split(/\r?\n/)) {
          const colon = line.indexOf(':');
          if (colon <= 0) throw new MultipartError(`part header line "${line.slice(0, 80)}" is not "name: value"`);
          this.#headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        const declared = this.#headers['content-length'];
        if (declared !== undefined) {
          // cppagent 1.x wrote "Content-length: 887;" — parseInt reads the number and ignores the rest.
          const length = Number.parseInt(declared, 10);
          if (!Number.isSafeInteger(length) || length < 0) throw new MultipartError(`part Content-length "${declared}" is not a byte count`);
          if (length > this.#maxPartBytes) throw new MultipartError(`part Content-length ${length} exceeds ${this.#maxPartBytes} bytes`);
          this.#length = length;
        }
        this.#buffer = this.#buffer.subarray(Buffer.byteLength(text.slice(0, end.index + end.length), 'latin1'));
        this.#phase = 'body';
        return true;
      }
      case 'body': {
        let body: Buffer;
        if (this.#length !== undefined) {
          if (this.#buffer.length < this.#length) return false;
          body = this.#buffer.subarray(0, this.#length);
          this.#buffer = this.#buffer.subarray(this.#length);
        } else {
          const at = this.#buffer.indexOf(this.#bodyEnd);
          if (at < 0) return false;
          body = this.#buffer.subarray(0, at);
          this.#buffer = this.#buffer.subarray(at + CRLF.length);
        }
        parts.push({ headers: this.#headers, body: Buffer.from(body) });
        this.#phase = 'preamble';
        return true;
      }
      case 'done':
        return false;
    }
  }
}
