import { describe, expect, it } from 'vitest';
import type { Scorecard } from '../types';
import { KPI_ROWS, statusOf } from './scorecard';

const card = (figures: Partial<Scorecard>): Scorecard =>
  ({
    target: '1000.00',
    actual: '500.00',
    expectedToDate: '400.00',
    growthRate: null,
    yoyGrowth: null,
    ...figures,
  }) as Scorecard;

describe('a scorecard figure against what it is measured by', () => {
  it('lists the twelve KPIs of the brief and the composite score', () => {
    expect(KPI_ROWS.map((row) => row.key)).toEqual([
      'actual',
      'orders',
      'newCustomers',
      'prospectsDeveloped',
      'salesVisits',
      'existingCustomerVisits',
      'lostCustomers',
      'growthRate',
      'yoyGrowth',
      'discipline',
      'planCompletionRate',
      'requestResponseRate',
      'compositeScore',
    ]);
  });

  it('puts sales ahead when they reach what the working days so far expect, whatever the month target', () => {
    expect(statusOf(card({}), 'actual')).toEqual({ target: '1000.00', status: 'ahead' });
    expect(statusOf(card({ expectedToDate: '600.00' }), 'actual').status).toBe('behind');
    expect(statusOf(card({ target: '0.00' }), 'actual').status).toBe('none');
  });

  it('holds the rates to all on time and lost customers to none', () => {
    expect(statusOf(card({ planCompletionRate: 1 }), 'planCompletionRate').status).toBe('ahead');
    expect(statusOf(card({ requestResponseRate: 0.8 }), 'requestResponseRate').status).toBe('behind');
    expect(statusOf(card({ planCompletionRate: null }), 'planCompletionRate').status).toBe('none');
    expect(statusOf(card({ lostCustomers: 1 }), 'lostCustomers').status).toBe('behind');
    expect(statusOf(card({ growthRate: -0.1 }), 'growthRate').status).toBe('behind');
  });
});
