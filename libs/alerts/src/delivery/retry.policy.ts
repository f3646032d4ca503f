import type { DeliveryOutcome } from './delivery.port';

export const DEFAULT_MAX_ATTEMPTS = 8;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 60 * 60 * 1_000;

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(cap, base * 2^(attempt-1))).
 * The jitter keeps receivers that failed together from being retried together.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (Math.max(1, attempt) - 1));
  return Math.floor(random() * ceiling);
}

export function isLastAttempt(attempt: number, maxAttempts: number = DEFAULT_MAX_ATTEMPTS): boolean {
  return attempt >= maxAttempts;
}

/**
 * Reads `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unreadable.
 * Capped like the backoff so a receiver cannot park a delivery for days.
 */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  const value = header?.trim() ?? '';
  // An HTTP date always names its month; without this, Date.parse reads "-5" as the year -5.
  const ms = /^\d+$/.test(value)
    ? Number(value) * 1_000
    : /[a-z]/i.test(value)
      ? Date.parse(value) - now.getTime()
      : Number.NaN;
  return Number.isNaN(ms) ? undefined : Math.min(BACKOFF_CAP_MS, Math.max(0, ms));
}

export function retryLater(attempt: number, reason: string, afterMs = backoffMs(attempt)): DeliveryOutcome {
  return { outcome: 'retry', afterMs, reason };
}
