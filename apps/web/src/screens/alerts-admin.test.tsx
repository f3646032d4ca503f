import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, RouterProvider } from '@tanstack/react-router';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppRouter } from '../router';
import { setToken } from '../session';
import { renderScreen } from '../test-render';
import type { Alert, ApiToken, ImportResult } from '../types';
import { Acknowledge, AlertItem, alertsPath, scorecardPeriod } from './alerts';
import { errorReport, ImportReport, ImportsScreen } from './imports';
import { UserDetail } from './user';

type Call = { method: string; url: string; body: unknown };

/** A fetch answering "METHOD path" (or just the path, for any method) from a table, recording each call. */
function stubApi(answers: Record<string, unknown | ((body: unknown) => unknown)>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body });
    const path = url.split('?')[0] as string;
    const found = answers[`${method} ${url}`] ?? answers[`${method} ${path}`] ?? answers[url] ?? answers[path];
    if (found === undefined)
      return new Response(JSON.stringify({ statusCode: 404, error: 'Not Found', message: `no ${method} ${url}` }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    const answer = typeof found === 'function' ? (found as (b: unknown) => unknown)(body) : found;
    if (answer instanceof Response) return answer;
    if (answer === null) return new Response(null, { status: 204 });
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

const alert = (overrides: Partial<Alert> = {}): Alert => ({
  id: 'al-1',
  rule: 'pace-below-expected',
  repId: 'rep-ana',
  teamId: 'north',
  period: '2026-03',
  severity: 'critical',
  status: 'open',
  raisedAt: '2026-03-12T08:00:00.000Z',
  evidence: {
    summary: 'Sold 9000.00 of 25000.00 expected',
    figures: { target: '50000.00', actual: '9000.00', expected: '25000.00', pace: 0.36, threshold: 0.85 },
    positions: [1204, 1310],
  },
  acknowledgedAt: null,
  acknowledgedBy: null,
  note: null,
  resolvedAt: null,
  ...overrides,
});

beforeEach(() => setToken('test-token'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  setToken(null);
});

describe('the alert inbox', () => {
  it('passes the filters in the address to GET /v1/alerts, leaving out the empty ones', () => {
    expect(alertsPath({})).toBe('/v1/alerts');
    expect(alertsPath({ status: 'open', rule: 'no-recent-visit', teamId: 'north', repId: 'rep-ana' })).toBe(
      '/v1/alerts?status=open&rule=no-recent-visit&teamId=north&repId=rep-ana',
    );
    expect(alertsPath({ status: '', repId: 'rep-bo' })).toBe('/v1/alerts?repId=rep-bo');
  });

  it('links a period to the scorecard grain it is, and a request to none', () => {
    expect(scorecardPeriod('2026-03')).toEqual({ grain: 'month', period: '2026-03' });
    expect(scorecardPeriod('2026-W09')).toEqual({ grain: 'week', period: '2026-W09' });
    expect(scorecardPeriod('req-1')).toBeUndefined();
  });

  it("shows an alert's evidence from its detail route, with links to the scorecard and the events", async () => {
    const calls = stubApi({ '/v1/alerts/al-1': alert() });
    renderScreen(<AlertItem alert={alert()} repName="Ana" canAcknowledge={false} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Show the evidence' }));
    const evidence = await screen.findByTestId('evidence');
    expect(calls.map((c) => c.url)).toContain('/v1/alerts/al-1');
    const row = (figure: string) => evidence.querySelector(`[data-figure="${figure}"]`) as HTMLElement;
    expect(within(row('target')).getByText('50,000.00')).toBeInTheDocument();
    expect(within(row('pace')).getByText('36%')).toBeInTheDocument();
    expect(within(row('threshold')).getByText('85%')).toBeInTheDocument();
    expect(within(evidence).getByText(/#1204/)).toBeInTheDocument();
    expect(within(evidence).getByRole('link', { name: 'Open the scorecard for this period' })).toHaveAttribute(
      'href',
      '/reps/rep-ana?grain=month&period=2026-03',
    );
    expect(within(evidence).getByRole('link', { name: 'Open the events in the audit log' })).toHaveAttribute(
      'href',
      '/audit?repId=rep-ana&month=2026-03',
    );
    expect(screen.getByRole('link', { name: 'Ana' })).toHaveAttribute(
      'href',
      '/reps/rep-ana?grain=month&period=2026-03',
    );
  });

  it('shows an API error for the evidence instead of swallowing it', async () => {
    stubApi({});
    renderScreen(<AlertItem alert={alert()} canAcknowledge={false} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Show the evidence' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('no GET /v1/alerts/al-1');
  });

  it('acknowledges with the note typed', async () => {
    const calls = stubApi({
      'POST /v1/alerts/al-1/acknowledgement': (body: unknown) =>
        alert({ status: 'acknowledged', note: (body as { note: string }).note }),
    });
    renderScreen(<Acknowledge alertId="al-1" />);
    await userEvent.type(await screen.findByLabelText('Note (optional)'), 'Two orders land Thursday');
    await userEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'POST')).toEqual({
      method: 'POST',
      url: '/v1/alerts/al-1/acknowledgement',
      body: { note: 'Two orders land Thursday' },
    });
  });

  it('does not offer acknowledgement on an acknowledged alert, and shows who acknowledged it', async () => {
    stubApi({});
    renderScreen(
      <AlertItem
        alert={alert({
          status: 'acknowledged',
          acknowledgedBy: 'mgr-north',
          acknowledgedAt: '2026-03-12T09:00:00Z',
          note: 'ok',
        })}
        canAcknowledge
      />,
    );
    expect(await screen.findByText(/acknowledged by mgr-north/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
  });
});

/** The whole app at `url`, as main.tsx mounts it, in memory. */
function renderApp(url: string) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createAppRouter(queryClient);
  router.update({ ...router.options, history: createMemoryHistory({ initialEntries: [url] }) });
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

/** A text/event-stream answer that sends `chunks` as they are pushed, and stays open. */
function eventStream() {
  let push: (text: string) => void = () => undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (text) => controller.enqueue(new TextEncoder().encode(text));
    },
  });
  return {
    response: new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    push: (t: string) => push(t),
  };
}

describe('the inbox screen in the app', () => {
  const me = { userId: 'director', role: 'director' };
  const teams = { items: [{ id: 'north', name: 'North', managerUserId: null }], nextCursor: null };
  const reps = {
    items: [{ id: 'rep-ana', name: 'Ana', email: 'a@x', teamId: 'north', status: 'active' }],
    nextCursor: null,
  };

  it('asks the API for the filters in the address and shows what it answers', async () => {
    const calls = stubApi({
      '/v1/me': me,
      '/v1/teams': teams,
      '/v1/reps': reps,
      '/v1/alerts': [alert(), alert({ id: 'al-2', rule: 'no-recent-visit', severity: 'warning' })],
      '/v1/alerts/stream': new Response('', { status: 503 }),
    });
    renderApp('/alerts?status=open&teamId=north&rule=pace-below-expected&repId=rep-ana');
    await screen.findByTestId('alerts');
    expect(calls.map((c) => c.url)).toContain(
      '/v1/alerts?status=open&rule=pace-below-expected&teamId=north&repId=rep-ana',
    );
    expect(screen.getByLabelText('Status')).toHaveValue('open');
    expect(screen.getByLabelText('Team')).toHaveValue('north');
    expect(document.querySelectorAll('[data-testid=alerts] > li')).toHaveLength(2);
    // The stream refused: the screen says it polls instead.
    expect(await screen.findByText(/refreshing every 30 seconds/)).toBeInTheDocument();
  });

  it('shows an API error for the list', async () => {
    stubApi({
      '/v1/me': me,
      '/v1/teams': teams,
      '/v1/reps': reps,
      '/v1/alerts': new Response(
        JSON.stringify({ statusCode: 400, error: 'Bad Request', message: 'rule must be one of …' }),
        {
          status: 400,
          headers: { 'content-type': 'application/json' },
        },
      ),
      '/v1/alerts/stream': new Response('', { status: 503 }),
    });
    renderApp('/alerts?rule=nonsense');
    expect(await screen.findByRole('alert')).toHaveTextContent('rule must be one of');
  });

  it('reads the list again when the stream reports a change', async () => {
    const stream = eventStream();
    let lists = 0;
    stubApi({
      '/v1/me': me,
      '/v1/teams': teams,
      '/v1/reps': reps,
      '/v1/alerts': () => (++lists === 1 ? [alert()] : [alert(), alert({ id: 'al-new' })]),
      '/v1/alerts/stream': stream.response,
    });
    renderApp('/alerts');
    await screen.findByText(/Live: new alerts appear/);
    expect(document.querySelectorAll('[data-testid=alerts] > li')).toHaveLength(1);
    stream.push(': heartbeat\n\n');
    stream.push(`event: alert.raised\nid: al-new\ndata: ${JSON.stringify(alert({ id: 'al-new' }))}\n\n`);
    await waitFor(() => expect(document.querySelectorAll('[data-testid=alerts] > li')).toHaveLength(2));
  });
});

describe('a user and their tokens', () => {
  const token = (tokenId: string, overrides: Partial<ApiToken> = {}): ApiToken => ({
    tokenId,
    label: tokenId.toUpperCase(),
    createdAt: '2026-03-01T08:00:00.000Z',
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  });

  function stubUser(tokens: ApiToken[]) {
    return stubApi({
      '/v1/me': { userId: 'admin', role: 'admin' },
      '/v1/users/u-1': {
        id: 'u-1',
        name: 'Mina',
        email: 'mina@example.com',
        role: 'manager',
        teamId: 'north',
        repId: null,
        registeredAt: '2026-03-01T08:00:00.000Z',
        active: true,
      },
      'GET /v1/users/u-1/tokens': () => tokens,
      'POST /v1/users/u-1/tokens': (body: unknown) => {
        tokens.push(token('tok-new', { label: (body as { label: string }).label }));
        return { tokenId: 'tok-new', token: 'sl_secret_value' };
      },
      'DELETE /v1/users/u-1/tokens/tok-a': () => {
        tokens[0] = { ...(tokens[0] as ApiToken), revokedAt: '2026-03-02T08:00:00.000Z' };
        return null;
      },
    });
  }

  it('creates a token with a label and expiry, and shows its secret once', async () => {
    const calls = stubUser([]);
    renderScreen(<UserDetail userId="u-1" />);
    await userEvent.type(await screen.findByLabelText('Label'), 'BI laptop');
    await userEvent.clear(screen.getByLabelText('Expires after (days)'));
    await userEvent.type(screen.getByLabelText('Expires after (days)'), '30');
    await userEvent.click(screen.getByRole('button', { name: 'Create a token' }));
    expect(await screen.findByTestId('token-secret')).toHaveTextContent('sl_secret_value');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ label: 'BI laptop', expiresInDays: 30 });
    expect(await screen.findByText('BI laptop')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByText('sl_secret_value')).toBeNull();
    // The list never carries it.
    expect(document.body.textContent).not.toContain('sl_secret_value');
  });

  it('revokes a token with DELETE and shows it revoked', async () => {
    const calls = stubUser([token('tok-a')]);
    renderScreen(<UserDetail userId="u-1" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke TOK-A' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
    expect(calls.find((c) => c.method === 'DELETE')?.url).toBe('/v1/users/u-1/tokens/tok-a');
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Revoke TOK-A' })).toBeNull());
  });

  it('asks before deactivating', async () => {
    const calls = stubUser([]);
    renderScreen(<UserDetail userId="u-1" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Deactivate this user…' }));
    expect(calls.some((c) => c.url.endsWith('/deactivation'))).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.url.endsWith('/deactivation'))).toBe(false);
  });

  it('keeps a rep out', async () => {
    stubApi({ '/v1/me': { userId: 'r', role: 'rep', repId: 'rep-ana' }, '/v1/users/u-1': { id: 'u-1' } });
    renderScreen(<UserDetail userId="u-1" />);
    expect(await screen.findByRole('alert')).toHaveTextContent('You may not see this.');
  });
});

describe('an import', () => {
  const result: ImportResult = {
    rows: 3,
    new: 1,
    alreadyPresent: 1,
    rejected: 1,
    bytes: 120,
    errors: [
      { row: 3, field: 'unitPrice', message: 'unitPrice must be a number', values: ['o-9', 'rep-1', '=1+1, "x"'] },
    ],
  };

  it('shows the counts and offers the rejected rows as a CSV', async () => {
    vi.stubGlobal(
      'URL',
      Object.assign(URL, { createObjectURL: () => 'blob:report', revokeObjectURL: () => undefined }),
    );
    renderScreen(<ImportReport result={result} kind="orders" />);
    const report = await screen.findByTestId('import-result');
    const count = (key: string) => report.querySelector(`[data-count="${key}"] .value`)?.textContent;
    expect([count('rows'), count('new'), count('alreadyPresent'), count('rejected')]).toEqual(['3', '1', '1', '1']);
    const link = within(report).getByRole('link', { name: 'Download the rejected rows (CSV)' });
    expect(link).toHaveAttribute('download', 'orders-rejected-rows.csv');
    expect(within(report).getByText('unitPrice must be a number')).toBeInTheDocument();
  });

  it('writes the report with quoting, and a formula defused', () => {
    expect(errorReport(result.errors)).toBe(
      'row,field,message,value1,value2,value3\r\n3,unitPrice,unitPrice must be a number,o-9,rep-1,"\'=1+1, ""x"""\r\n',
    );
  });

  it('offers no report when nothing was rejected', async () => {
    renderScreen(<ImportReport result={{ ...result, rejected: 0, errors: [] }} kind="customers" />);
    await screen.findByTestId('import-result');
    expect(screen.queryByRole('link')).toBeNull();
  });

  /** An XMLHttpRequest that reports upload progress, then answers with `status` and `body`. */
  function fakeXhr(status: number, body: unknown) {
    const sent: { method: string; url: string; headers: Record<string, string>; body: unknown }[] = [];
    class FakeXhr {
      upload: { onprogress?: (event: { loaded: number; total: number; lengthComputable: boolean }) => void } = {};
      onload?: () => void;
      onerror?: () => void;
      status = 0;
      responseText = '';
      private request = { method: '', url: '', headers: {} as Record<string, string>, body: undefined as unknown };
      open(method: string, url: string) {
        Object.assign(this.request, { method, url });
      }
      setRequestHeader(name: string, value: string) {
        this.request.headers[name] = value;
      }
      send(payload: unknown) {
        sent.push({ ...this.request, body: payload });
        setTimeout(() => {
          this.upload.onprogress?.({ loaded: 5, total: 10, lengthComputable: true });
          this.upload.onprogress?.({ loaded: 10, total: 10, lengthComputable: true });
          this.status = status;
          this.responseText = JSON.stringify(body);
          this.onload?.();
        }, 0);
      }
    }
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    return sent;
  }

  it('uploads the chosen file as the chosen kind, follows the upload and shows the answer', async () => {
    vi.stubGlobal(
      'URL',
      Object.assign(URL, { createObjectURL: () => 'blob:report', revokeObjectURL: () => undefined }),
    );
    const sent = fakeXhr(201, result);
    renderScreen(<ImportsScreen />);
    await userEvent.selectOptions(await screen.findByLabelText('What the rows are'), 'orders');
    const file = new File(['id,repId\n'], 'orders.csv', { type: 'text/csv' });
    await userEvent.upload(screen.getByLabelText('CSV file'), file);
    await userEvent.click(screen.getByRole('button', { name: 'Upload' }));
    await screen.findByTestId('import-result');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', url: '/v1/imports/orders', body: file });
    expect(sent[0]?.headers).toMatchObject({ Authorization: 'Bearer test-token', 'Content-Type': 'text/csv' });
    expect((screen.getByRole('progressbar') as HTMLProgressElement).value).toBe(10);
    expect(screen.getByRole('link', { name: 'Download the rejected rows (CSV)' })).toBeInTheDocument();
  });

  it("shows the API's refusal of an upload", async () => {
    fakeXhr(403, { statusCode: 403, error: 'Forbidden', message: 'analysts may not import' });
    renderScreen(<ImportsScreen />);
    await userEvent.upload(await screen.findByLabelText('CSV file'), new File(['x'], 'c.csv', { type: 'text/csv' }));
    await userEvent.click(screen.getByRole('button', { name: 'Upload' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You may not see this.');
  });
});
