/**
 * When a failed delivery is tried again: exponential waits in plant time, capped, for a fixed number of attempts.
 * Deterministic (no jitter): deliveries fail one by one, not as a herd of reconnecting clients, and a predictable
 * schedule is easier to explain to whoever waits for the email.
 */
import type { RetryPolicy } from '../../core/notifications-config.js';

export const DEFAULT_RETRY: Required<RetryPolicy> = { attempts: 6, initialMs: 30_000, maxMs: 3_600_000, factor: 2 };

/** The policy with every default filled in. */
export function retryPolicyOf(policy: RetryPolicy | undefined): Required<RetryPolicy> {
  return { ...DEFAULT_RETRY, ...policy };
}

/**
 * The wait before the next attempt after `attemptsMade` failed ones (1 after the first failure), or undefined when
 * the last attempt has been made.
 */
export function retryDelay(policy: Required<RetryPolicy>, attemptsMade: number): number | undefined {
  if (attemptsMade >= policy.attempts) return undefined;
  return Math.min(policy.maxMs, Math.round(policy.initialMs * policy.factor ** Math.max(0, attemptsMade - 1)));
}
