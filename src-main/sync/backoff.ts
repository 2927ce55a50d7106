export interface BackoffPolicy {
  /** First retry delay. */
  baseMs: number;
  /** No retry waits longer than this, so a returning network is noticed within about `capMs`. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2000, capMs: 60_000 };

/**
 * Exponential backoff with "equal jitter": half the exponential step plus a random half, capped.
 * The random half keeps several laptops from reconnecting in lockstep; the fixed half keeps a
 * failing server from being hammered. `attempt` counts failures in a row, from 0.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + random() * (step / 2));
}
