import fc from 'fast-check';
import {
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  backoffMs,
  isLastAttempt,
  retryAfterMs,
} from '@salesledger/alerts/delivery/retry.policy';

describe('backoff', () => {
  it('doubles the window with each attempt', () => {
    const middle = () => 0.5;

    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, middle))).toEqual([500, 1_000, 2_000, 4_000, 8_000]);
  });

  it('stays within [0, min(cap, base * 2^(attempt-1))) whatever the jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const wait = backoffMs(attempt, () => r);
          const window = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
          return wait >= 0 && wait < window;
        },
      ),
    );
  });

  it('is capped at an hour', () => {
    const almostOne = () => 0.999_999;

    expect(backoffMs(13, almostOne)).toBe(Math.floor(0.999_999 * BACKOFF_CAP_MS));
    expect(backoffMs(1_000, almostOne)).toBe(Math.floor(0.999_999 * BACKOFF_CAP_MS));
    expect(BACKOFF_CAP_MS).toBe(3_600_000);
  });

  it('knows the last attempt', () => {
    expect(isLastAttempt(7, 8)).toBe(false);
    expect(isLastAttempt(8, 8)).toBe(true);
    expect(isLastAttempt(8)).toBe(true);
  });
});

describe('Retry-After', () => {
  const now = new Date('2026-11-09T08:00:00Z');

  it.each([
    ['3', 3_000],
    ['0', 0],
    ['Mon, 09 Nov 2026 08:01:00 GMT', 60_000],
    ['Mon, 09 Nov 2026 07:00:00 GMT', 0],
    ['86400', BACKOFF_CAP_MS],
  ])('reads %j as %i ms', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });

  it.each([undefined, '', 'soon', '-5'])('ignores %j', (header) => {
    expect(retryAfterMs(header, now)).toBeUndefined();
  });
});
