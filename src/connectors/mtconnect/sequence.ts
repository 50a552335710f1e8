/**
 * Pure sequence tracking: every agent answer is checked against where the connector stands (the agent instance it
 * follows and the next sequence number it wants) before any observation in it is used. An agent restart, a buffer
 * overrun and an expired `from` are told apart here, so the connector can report each and resynchronise.
 */
import type { ErrorDocument, StreamsHeader } from './documents.js';

/** Where the connector stands in the agent's buffer. */
export interface SequenceCursor {
  instanceId: string;
  /** The next sequence number wanted. */
  next: number;
}

export type GapReason = 'buffer-overrun' | 'out-of-range';

export type SequenceVerdict =
  /** Use the document; continue from its nextSequence. */
  | { kind: 'in-order' }
  /** A new agent instance: sequence numbers started again; nothing of the old instance can be asked for any more. */
  | { kind: 'agent-restarted'; previousInstanceId: string; instanceId: string }
  /** Observations from `from` on were gone before they could be read. */
  | { kind: 'gap'; reason: GapReason; from: number; firstAvailable?: number }
  /** The agent refused the request for another reason (NO_DEVICE, INVALID_XPATH, ...): a configuration problem. */
  | { kind: 'refused'; message: string };

/** A stretch of sequence numbers that was not read one by one, as shown in health and logs. */
export interface LostRange {
  from: number;
  to: number;
  reason: GapReason;
  instanceId: string;
  /** The agent's firstSequence when the gap was seen (known for a buffer overrun). */
  firstAvailable?: number;
  /** When the loss was noticed (ISO 8601). */
  at: string;
}

/** Checks a streams document's header (sample answer or stream part) against the cursor. */
export function checkStreamsHeader(cursor: SequenceCursor, header: StreamsHeader): SequenceVerdict {
  if (header.instanceId !== cursor.instanceId) return { kind: 'agent-restarted', previousInstanceId: cursor.instanceId, instanceId: header.instanceId };
  // The agent jumps to its oldest observation when ours has been overwritten (cppagent does so in a stream).
  if (header.firstSequence > cursor.next) return { kind: 'gap', reason: 'buffer-overrun', from: cursor.next, firstAvailable: header.firstSequence };
  // Sequence numbers going back without a new instance id: an agent restored from a snapshot, or a proxy in front
  // of a different agent. Nothing we hold about the sequence can be trusted, which is what a restart means.
  if (header.nextSequence < cursor.next) return { kind: 'agent-restarted', previousInstanceId: cursor.instanceId, instanceId: header.instanceId };
  return { kind: 'in-order' };
}

/** Checks an MTConnectError answer to a sample request. */
export function checkErrorDocument(cursor: SequenceCursor, document: ErrorDocument): SequenceVerdict {
  // A restarted agent refuses our old `from` as out of range: the restart is the news, not the range.
  if (document.instanceId !== undefined && document.instanceId !== cursor.instanceId) {
    return { kind: 'agent-restarted', previousInstanceId: cursor.instanceId, instanceId: document.instanceId };
  }
  if (document.errors.some((error) => error.code === 'OUT_OF_RANGE')) return { kind: 'gap', reason: 'out-of-range', from: cursor.next };
  return { kind: 'refused', message: describeAgentErrors(document) };
}

/** The agent's errors as one line: `NO_DEVICE: Could not find the device 'x'; ...`. */
export function describeAgentErrors(document: ErrorDocument): string {
  if (document.errors.length === 0) return 'MTConnectError without an Error element';
  return document.errors.map((error) => (error.message === '' ? error.code : `${error.code}: ${error.message}`)).join('; ');
}

/**
 * The range lost by a gap once the connector has resynchronised from `current`: everything from the first sequence
 * wanted up to the one before current's nextSequence was not read one by one (current only gives each item's latest
 * value). Undefined when nothing was lost.
 */
export function lostRange(gap: { reason: GapReason; from: number; firstAvailable?: number }, instanceId: string, resumedAt: number, at: string): LostRange | undefined {
  const to = resumedAt - 1;
  if (to < gap.from) return undefined;
  return { from: gap.from, to, reason: gap.reason, instanceId, ...(gap.firstAvailable === undefined ? {} : { firstAvailable: gap.firstAvailable }), at };
}
