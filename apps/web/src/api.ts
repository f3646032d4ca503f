import { getToken } from './session';

/** A field the API refused, with its message (the `fields` of a 400). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An answer other than 2xx, carrying the API's error body so screens can show it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

let onUnauthorised: () => void = () => undefined;

/** Called on any 401: the session is over, whatever screen asked. */
export function whenUnauthorised(handler: () => void): void {
  onUnauthorised = handler;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** Calls the API with the session's bearer token; JSON in, JSON out. */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; raw?: BodyInit; contentType?: string; token?: string } = {},
): Promise<T> {
  const token = init.token ?? getToken();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (init.raw !== undefined) {
    body = init.raw;
    headers['Content-Type'] = init.contentType ?? 'text/csv';
  } else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, { method: init.method ?? 'GET', headers, body });
  if (response.status === 401 && !init.token) onUnauthorised();
  const text = await response.text();
  const answer: unknown = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  if (!response.ok) {
    const error = (answer ?? {}) as { message?: string | string[]; fields?: FieldProblem[]; error?: string };
    const message = Array.isArray(error.message)
      ? error.message.join('; ')
      : (error.message ?? error.error ?? response.statusText);
    throw new ApiError(response.status, message || `HTTP ${response.status}`, error.fields ?? []);
  }
  return answer as T;
}
