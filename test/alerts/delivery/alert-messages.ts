import type { AlertMessage } from '@salesledger/alerts/delivery/delivery.port';

const paceSummary = 'Sold 12000.00 of 20000.00 expected after 9 of 21 working days of 2026-11: 60% of pace, below 70%.';

/** A critical pace alert with evidence shaped as the rules write it (docs/alerts.md). */
export function anAlert(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    alertId: 'alert-pace-rep-17-2026-11',
    rule: 'pace-below-expected',
    repId: 'rep-17',
    repName: 'Ana Ruiz',
    period: '2026-11',
    severity: 'critical',
    status: 'open',
    raisedAt: '2026-11-09T08:00:00.000Z',
    summary: paceSummary,
    evidence: {
      summary: paceSummary,
      figures: { target: '46666.67', actual: '12000.00', expected: '20000.00', pace: 0.6, threshold: 0.7 },
      paceCurve: [{ day: '2026-11-02', actual: '1000.00', expected: '2222.22' }],
      positions: [41, 57],
    },
    ...overrides,
  };
}
