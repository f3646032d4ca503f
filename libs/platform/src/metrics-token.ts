import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a request may read /metrics: always when no METRICS_TOKEN is configured, otherwise only
 * with `Authorization: Bearer <token>`. Both sides are hashed first, so the comparison takes the
 * same time whatever the length or content of what was sent.
 */
export function metricsAllowed(expected: string | undefined, authorization: string | undefined): boolean {
  if (expected === undefined) return true;
  const match = /^Bearer (.+)$/.exec(authorization ?? '');
  const sent = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  return timingSafeEqual(sent, createHash('sha256').update(expected).digest()) && match !== null;
}
