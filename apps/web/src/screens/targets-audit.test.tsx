import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../session';
import { renderScreen } from '../test-render';
import type { Rep } from '../types';
import { instantOfLocal } from './audit';
import { monthlySpread } from './company-plan';
import { TargetEditor, targetGrid } from './targets';

type Answer = unknown | ((body: unknown) => unknown);
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fetch answering `METHOD path` from a table, recording every call with its body. */
function stubApi(answers: Record<string, Answer>) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body });
    const found = answers[`${method} ${url.split('?')[0]}`];
    if (found === undefined) return json(404, { statusCode: 404, error: 'Not Found', message: 'none' });
    const answer = typeof found === 'function' ? (found as (b: unknown) => unknown)(body) : found;
    return answer instanceof Response ? answer : json(200, answer);
  });
  return calls;
}

const ana: Rep = { id: 'rep-ana', name: 'Ana', email: 'ana@example.com', teamId: 'north', status: 'active' };
const bo: Rep = { id: 'rep-bo', name: 'Bo', email: 'bo@example.com', teamId: 'north', status: 'active' };
const TARGET = '/v1/reps/rep-ana/targets/2026-03';

beforeEach(() => setToken('test-token'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  setToken(null);
});

describe('the target grid', () => {
  it("puts each month's target in force under its rep, and leaves a month without one unset", () => {
    const grid = targetGrid(
      [ana, bo],
      ['2026-01', '2026-02', '2026-03'],
      [
        [{ repId: 'rep-ana', target: 1000 }],
        undefined,
        [
          { repId: 'rep-bo', target: 250.5 },
          { repId: 'rep-ana', target: 0 },
        ],
      ],
    );
    expect(grid.map((row) => [row.rep.id, row.targets])).toEqual([
      ['rep-ana', [1000, null, 0]],
      ['rep-bo', [null, null, 250.5]],
    ]);
  });
});

describe('the target editor', () => {
  it('sends the amount and the reason, and says when the change took effect', async () => {
    const calls = stubApi({
      [`GET ${TARGET}`]: { amount: '900.00', version: 1 },
      [`PUT ${TARGET}`]: { amount: '1200.00', version: 2 },
    });
    renderScreen(<TargetEditor rep={ana} month="2026-03" onClose={() => undefined} />);
    expect(await screen.findByText('900.00')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Amount'), '1200');
    await userEvent.type(screen.getByLabelText('Reason'), 'big account landed');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Saved: 1,200.00 (version 2).');
    expect(calls.find((call) => call.method === 'PUT')?.body).toEqual({ amount: '1200', reason: 'big account landed' });
  });

  it("shows the API's refusal beside the field it is about", async () => {
    stubApi({
      [`PUT ${TARGET}`]: json(400, {
        statusCode: 400,
        error: 'Bad Request',
        message: 'invalid input',
        fields: [{ field: 'amount', message: 'must not be negative' }],
      }),
    });
    renderScreen(<TargetEditor rep={ana} month="2026-03" onClose={() => undefined} />);
    await userEvent.type(await screen.findByLabelText('Amount'), '-5');
    await userEvent.type(screen.getByLabelText('Reason'), 'oops');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('must not be negative')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Amount/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Reason')).toHaveAttribute('aria-invalid', 'false');
  });

  it('says a target changed meanwhile on a 409, and that a change needing approval waits for it', async () => {
    stubApi({ [`PUT ${TARGET}`]: json(409, { statusCode: 409, error: 'Conflict', message: 'stale' }) });
    renderScreen(<TargetEditor rep={ana} month="2026-03" onClose={() => undefined} />);
    await userEvent.type(await screen.findByLabelText('Amount'), '10');
    await userEvent.type(screen.getByLabelText('Reason'), 'r');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This target changed meanwhile');
    cleanup();

    stubApi({ [`PUT ${TARGET}`]: json(202, { proposalId: 'p-1', status: 'pending', amount: '5000.00' }) });
    renderScreen(<TargetEditor rep={ana} month="2026-03" onClose={() => undefined} />);
    await userEvent.type(await screen.findByLabelText('Amount'), '5000');
    await userEvent.type(screen.getByLabelText('Reason'), 'r');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(within(await screen.findByRole('status')).getByText(/Sent for approval: 5,000.00/)).toBeInTheDocument();
  });
});

describe('the company plan', () => {
  it('spreads the year over the months in proportion to the weights', () => {
    const spread = monthlySpread(1200, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(spread).toEqual(Array(12).fill(100));
    expect(monthlySpread(300, [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).slice(0, 3)).toEqual([200, 100, 0]);
    expect(monthlySpread(300, Array(12).fill(Number.NaN))).toEqual(Array(12).fill(0));
  });
});

describe('the audit', () => {
  it("turns the reader's local date and time into the instant the API is asked about", () => {
    expect(instantOfLocal('')).toBeUndefined();
    expect(instantOfLocal('2026-03-15T09:30')).toBe(new Date(2026, 2, 15, 9, 30).toISOString());
  });
});
