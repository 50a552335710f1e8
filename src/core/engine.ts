/**
 * Engines (ARCHITECTURE.md §4): each subscribes to event types, keeps state it can rebuild by replay, and emits
 * derived events back onto the log. Engines never call each other; they meet only on the log.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { EventSubject, Quality, StoredEvent } from './event.js';

/** A derived event as an engine emits it; id, source and receivedAt are filled in by the host. */
export interface DerivedEventInput {
  type: string;
  occurredAt: string;
  subject?: EventSubject;
  data?: Record<string, unknown>;
  quality?: Quality;
}

export interface EngineContext<C, S> {
  config: C;
  state: S;
  /**
   * True while the host rebuilds state from history up to the checkpoint; emits are dropped then, because those
   * events were already emitted before the restart.
   */
  replaying: boolean;
  /** Queues a derived event; the host appends it after the handler returns, with an id derived from the input. */
  emit(event: DerivedEventInput): void;
}

export interface EngineDefinition<C = unknown, S = undefined> {
  /** Stable kebab-case id; it names the durable checkpoint, so changing it restarts the engine from the beginning. */
  id: string;
  /** Event types handled: exact names, prefixes ending in `.*`, or `*` for every event. */
  subscribes: readonly string[];
  configSchema?: TSchema;
  /** Creates empty state; engines that keep state get it rebuilt by replaying history on start. */
  createState?(config: C): S;
  /** Handles one event; must be deterministic for a given event sequence (no wall clock, no randomness). */
  handle(event: StoredEvent, context: EngineContext<C, S>): void | Promise<void>;
}

/** Declares an engine; a typed identity function so config and state types flow into `handle`. */
export function defineEngine<TSchemaType extends TSchema, S = undefined>(
  definition: EngineDefinition<Static<TSchemaType>, S> & { configSchema: TSchemaType },
): EngineDefinition<Static<TSchemaType>, S>;
export function defineEngine<C = undefined, S = undefined>(definition: EngineDefinition<C, S>): EngineDefinition<C, S>;
export function defineEngine(definition: EngineDefinition<unknown, unknown>): EngineDefinition<unknown, unknown> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.id)) throw new Error(`engine id '${definition.id}' must be kebab-case`);
  return definition;
}

/** True when an engine subscribed to `patterns` should see an event of `type`. */
export function matchesSubscription(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))));
}
