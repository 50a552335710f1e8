/**
 * Waiting in integration tests without timed assertions: poll a probe until it yields, with a deadline that only
 * turns a hang into a readable failure. And a check that a component left no socket, server or timer behind.
 */
import assert from 'node:assert/strict';

/** Polls `probe` until it returns something other than undefined or false. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Counts of the process's active handles by kind (TCPSocketWrap, TCPServerWrap, Timeout, FSEventWrap, ...). */
export function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

const WATCHED = ['TCPSocketWrap', 'TCPServerWrap', 'Timeout', 'FSEventWrap', 'StatWatcher'];

/**
 * Asserts that no more sockets, servers, timers or watchers are open than before. Closed handles need an event-loop
 * turn or two to leave the list, so it waits a little first.
 */
export async function assertNothingLeftBehind(before: Record<string, number>, kinds: readonly string[] = WATCHED): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  const after = resourceCounts();
  for (const kind of kinds) {
    assert.ok((after[kind] ?? 0) <= (before[kind] ?? 0), `${kind}: ${after[kind] ?? 0} open after stop, ${before[kind] ?? 0} before`);
  }
}
