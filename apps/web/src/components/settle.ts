import type { Query } from '@tanstack/react-query';
import { useCallback, useState } from 'react';

const SETTLE_MS = 15_000;
const EVERY_MS = 500;

/**
 * Lists are read from projections, which follow a write by a second or so: a list read at once may
 * not show it yet. After a write, `expect` what the list must show; `refetchInterval` then re-reads
 * it every half second until it does (for at most 15 s).
 */
export function useSettle<T>() {
  const [until, setUntil] = useState<{ check: (data: T) => boolean; deadline: number } | null>(null);
  const expect = useCallback(
    (check: (data: T) => boolean) => setUntil({ check, deadline: Date.now() + SETTLE_MS }),
    [],
  );
  const refetchInterval = (query: Query<T, Error, T, readonly unknown[]>): number | false => {
    if (!until || Date.now() > until.deadline) return false;
    return query.state.data !== undefined && until.check(query.state.data) ? false : EVERY_MS;
  };
  return { expect, refetchInterval };
}
