/**
 * The ingest contract every entry point uses (HTTP today, connectors next): raw input in, durable canonical events
 * out, every rejection dead-lettered with its evidence. The implementation is the staged pipeline in ./pipeline.
 */
import type { ErrorCode } from './errors.js';
import type { CanonicalEvent, StoredEvent } from './event.js';
import type { AppendResult } from './store.js';

export interface IngestSource {
  system?: string;
  connector?: string;
  address?: string;
}

export interface IngestRejection {
  /** Index in the submitted batch; -1 when the whole input was rejected (e.g. it was not JSON). */
  index: number;
  code: ErrorCode;
  message: string;
  deadLetterId: string;
  details?: unknown;
}

export interface IngestOutcome {
  /** Newly written, durable, in submission order. */
  accepted: StoredEvent[];
  /** Ids already in the log; re-sending is always safe. */
  duplicates: string[];
  rejected: IngestRejection[];
}

export interface SampleIngestOutcome {
  written: number;
  duplicates: number;
  rejected: IngestRejection[];
}

export interface IngestOptions {
  source?: IngestSource;
  contentType?: string;
  /**
   * Called with the resolved events before anything is persisted; throwing refuses the whole input (nothing is
   * written, nothing dead-lettered). The API uses it for the role + area check.
   */
  authorize?: (events: readonly CanonicalEvent[]) => void;
  /** Set by dead-letter replay so a failure updates the existing dead letter instead of adding another. */
  replayOf?: string;
}

export interface Ingestor {
  /** Decodes bytes (a JSON event or array of events) and runs every stage. */
  ingestRaw(raw: Uint8Array, options?: IngestOptions): Promise<IngestOutcome>;
  /** Runs every stage but decode on already-parsed input (one event or an array). */
  ingestValue(value: unknown, options?: IngestOptions): Promise<IngestOutcome>;
  /** Validates and writes historian samples (a sample or array of samples). */
  ingestSamples(value: unknown, options?: IngestOptions): Promise<SampleIngestOutcome>;
  /** Appends events derived inside Plantfabric (engines): trusted, not dead-lettered, still idempotent. */
  appendDerived(events: readonly CanonicalEvent[]): Promise<AppendResult>;
}
