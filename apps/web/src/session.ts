import { useSyncExternalStore } from 'react';

// The token lives for the browser session only: closing the tab signs out.
const KEY = 'salesledger.token';
const listeners = new Set<() => void>();

export const getToken = (): string | null => sessionStorage.getItem(KEY);

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
  listeners.forEach((listener) => listener());
}

export function useToken(): string | null {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, getToken);
}
