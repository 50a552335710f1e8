/**
 * Pure MQTT mapping: which binding a topic belongs to, topic-level placeholders, payload decoding and the source
 * timestamp. Everything protocol-independent is core's mapReading.
 */
import { extractField, mapReading, type Binding, type MappingMemory, type MappingResult, type MappingSource } from '../../core/mapping.js';
import { itemsOf, mapItems, type MapContext, type PayloadResult } from '../../core/event-mapping.js';
import type { MqttBinding, MqttEventMapping } from './config.js';

/** True when `topic` matches the MQTT filter (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  for (let index = 0; index < filterLevels.length; index += 1) {
    const level = filterLevels[index];
    // Every earlier level matched, so `#` takes the rest (including none: `a/#` matches `a`).
    if (level === '#') return true;
    if (index >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[index]) return false;
  }
  return filterLevels.length === topicLevels.length;
}

/** Replaces `{n}` with topic level n. */
export function fillPlaceholders(template: string, topic: string): string {
  const levels = topic.split('/');
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => levels[Number(index)] ?? whole);
}

export type DecodedPayload = { ok: true; value: unknown } | { ok: false; message: string };

/** JSON when it parses; a bare number or word otherwise (many devices publish `21.5` or `RUNNING`). */
export function decodePayload(payload: Uint8Array): DecodedPayload {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload).trim();
  } catch {
    return { ok: false, message: 'payload is not UTF-8 text' };
  }
  if (text === '') return { ok: false, message: 'payload is empty' };
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('"')) {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (error) {
      return { ok: false, message: `payload is not valid JSON: ${(error as Error).message}` };
    }
  }
  if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
  const number = Number(text);
  return { ok: true, value: Number.isFinite(number) ? number : text };
}

/** The source time from the payload, or the receive time. */
export function timestampOf(value: unknown, field: string | undefined, receivedAt: number): number | undefined {
  if (field === undefined) return receivedAt;
  const raw = extractField(value, field);
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string') {
    const parsed = Date.parse(raw);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/** Maps one message through every binding whose filter matches its topic. */
export function mapMessage(
  bindings: readonly MqttBinding[],
  topic: string,
  value: unknown,
  ts: number,
  memory: MappingMemory,
  source: MappingSource,
): MappingResult[] {
  const results: MappingResult[] = [];
  for (const binding of bindings) {
    if (!topicMatches(binding.topic, topic)) continue;
    const { topic: _filter, ...rest } = binding;
    const concrete: Binding = { ...rest, address: topic, equipment: fillPlaceholders(binding.equipment, topic), signal: fillPlaceholders(binding.signal, topic) };
    results.push(mapReading(concrete, { address: topic, value, ts, quality: 'good' }, memory, source));
  }
  return results;
}

/** Maps a JSON message through the event mappings whose topic filter matches (the first whose `when` matches wins per item). */
export function mapEventMessage(mappings: readonly MqttEventMapping[], topic: string, value: unknown, context: MapContext): PayloadResult | undefined {
  const matching = mappings.filter((mapping) => topicMatches(mapping.topic, topic));
  if (matching.length === 0) return undefined;
  const items = itemsOf(value, matching[0]!.itemsPath);
  if (!items.ok) return { events: [], rejects: [{ index: -1, item: value, message: `${topic}: ${items.message}` }] };
  return mapItems(items.items, matching, context);
}
