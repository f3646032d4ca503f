import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../test-render';
import { LeaderboardTable, sortEntries } from './leaderboard';

const entry = (rank: number, repId: string, figures: Record<string, unknown>) =>
  ({
    rank,
    repId,
    repName: repId.toUpperCase(),
    teamId: 'north',
    compositeScore: null,
    attainment: null,
    actual: '0.00',
    target: '0.00',
    ...figures,
  }) as never;

describe('the leaderboard', () => {
  const entries = [
    entry(1, 'ana', { compositeScore: 90, salesVisits: 3, lostCustomers: 2, actual: '100.00' }),
    entry(2, 'bo', { compositeScore: 80, salesVisits: 9, lostCustomers: 0, actual: '900.00' }),
    entry(3, 'cy', { compositeScore: 70, salesVisits: null, lostCustomers: 1, actual: '50.00' }),
  ];

  it('sorts by any KPI, highest first, missing figures last', () => {
    expect(sortEntries(entries, 'salesVisits').map((e) => e.repId)).toEqual(['bo', 'ana', 'cy']);
    expect(sortEntries(entries, 'actual').map((e) => e.repId)).toEqual(['bo', 'ana', 'cy']);
  });

  it('ranks fewest lost customers first', () => {
    expect(sortEntries(entries, 'lostCustomers').map((e) => e.repId)).toEqual(['bo', 'cy', 'ana']);
  });

  it('shows each rep with a link to their scorecard for the same period', async () => {
    renderScreen(
      <LeaderboardTable entries={entries} grain="week" period="2026-W10" sort="salesVisits" onSort={() => undefined} />,
    );
    const rows = within(await screen.findByTestId('leaderboard'))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((row) => row.getAttribute('data-rep'))).toEqual(['bo', 'ana', 'cy']);
    const link = within(rows[0] as HTMLElement).getByRole('link', { name: 'BO' });
    expect(link.getAttribute('href')).toBe('/reps/bo?grain=week&period=2026-W10');
    expect(within(rows[0] as HTMLElement).getByText('900.00')).toBeInTheDocument();
  });
});
