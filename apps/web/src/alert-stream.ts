import { useQueryClient } from '@tanstack/react-query';
import { createParser } from 'eventsource-parser';
import { useEffect, useState } from 'react';
import { getToken } from './session';

export type StreamState = 'connecting' | 'live' | 'polling';

/**
 * Reads GET /v1/alerts/stream (fetch and a stream reader: EventSource cannot send the bearer
 * token) and calls `onAlert` for each event. Resolves when the stream ends; rejects if it fails.
 */
export async function readAlertStream(
  onAlert: (event: string, alert: unknown) => void,
  onOpen: () => void,
  signal: AbortSignal,
): Promise<void> {
  const token = getToken();
  const response = await fetch('/v1/alerts/stream', {
    headers: { Accept: 'text/event-stream', ...(token && { Authorization: `Bearer ${token}` }) },
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  onOpen();
  const parser = createParser({
    onEvent: (message) => {
      if (!message.event?.startsWith('alert.')) return;
      try {
        onAlert(message.event, JSON.parse(message.data));
      } catch {
        // An event we cannot read is not worth dropping the stream for.
      }
    },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    parser.feed(decoder.decode(value, { stream: true }));
  }
}

/**
 * Keeps the alert queries fresh: each pushed change invalidates them. If the stream cannot be
 * opened or breaks, the caller falls back to polling (the state says which), and the stream is
 * tried again after a minute.
 */
export function useAlertStream(): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  useEffect(() => {
    const abort = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      readAlertStream(
        () => void queryClient.invalidateQueries({ queryKey: ['alerts'] }),
        () => setState('live'),
        abort.signal,
      )
        .catch(() => undefined)
        .finally(() => {
          if (abort.signal.aborted) return;
          setState('polling');
          retry = setTimeout(connect, 60_000);
        });
    };
    connect();
    return () => {
      abort.abort();
      clearTimeout(retry);
    };
  }, [queryClient]);
  return state;
}
