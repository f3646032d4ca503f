import { specFor } from '../../../../test/support/decider-spec';
import { ConflictError, NotFoundError } from '../errors';
import { customerDecider, type CustomerEvent } from './customer.decider';

const spec = specFor(customerDecider);
const acme = { id: 'c-1', name: 'Acme', repId: 'rep-1', status: 'prospect' as const };
const registered: CustomerEvent = { type: 'CustomerRegistered', data: acme };

describe('a customer', () => {
  describe('unknown', () => {
    it('is registered as a prospect of its rep', () =>
      spec
        .given([])
        .when({ kind: 'register', ...acme })
        .then([registered]));
    it('cannot be marked lost', () =>
      spec.given([]).when({ kind: 'mark-lost', reason: 'x', lostOn: '2026-01-01' }).thenThrows(NotFoundError));
  });

  describe('registered', () => {
    it('is reassigned to another rep, with the previous owner kept', () =>
      spec
        .given([registered])
        .when({ kind: 'reassign', repId: 'rep-2', reason: 'territory change' })
        .then([
          { type: 'CustomerReassigned', data: { repId: 'rep-2', previousRepId: 'rep-1', reason: 'territory change' } },
        ]));

    it('is flagged a key account once', () => {
      spec
        .given([registered])
        .when({ kind: 'flag-key-account', keyAccount: true })
        .then([{ type: 'KeyAccountFlagChanged', data: { keyAccount: true } }]);
      spec
        .given([registered, { type: 'KeyAccountFlagChanged', data: { keyAccount: true } }])
        .when({ kind: 'flag-key-account', keyAccount: true })
        .then([]);
    });

    it('is marked lost with a reason, credited to its owner at that time', () =>
      spec
        .given([
          registered,
          { type: 'CustomerReassigned', data: { repId: 'rep-2', previousRepId: 'rep-1', reason: 'x' } },
        ])
        .when({ kind: 'mark-lost', reason: 'went to a competitor', lostOn: '2026-05-31' })
        .then([
          {
            type: 'CustomerMarkedLost',
            data: { reason: 'went to a competitor', lostOn: '2026-05-31', repId: 'rep-2' },
          },
        ]));
  });

  describe('lost', () => {
    it('cannot be lost twice', () =>
      spec
        .given([
          registered,
          { type: 'CustomerMarkedLost', data: { reason: 'x', lostOn: '2026-05-31', repId: 'rep-1' } },
        ])
        .when({ kind: 'mark-lost', reason: 'y', lostOn: '2026-06-01' })
        .thenThrows(ConflictError, 'already marked lost'));
  });
});

describe('a customer lapsing (the scheduler, after churnAfterDays with no order)', () => {
  const registered = {
    type: 'CustomerRegistered' as const,
    data: { id: 'c-9', name: 'Acme', repId: 'rep-1', status: 'customer' as const },
  };
  const lapse = {
    kind: 'lapse' as const,
    lastOrderAt: '2026-01-10T10:00:00.000Z',
    churnAfterDays: 180,
    lapsedOn: '2026-07-09',
  };

  it('is lost from the day the threshold passed, credited to its owner then', () =>
    specFor(customerDecider)
      .given([
        registered,
        { type: 'CustomerReassigned', data: { repId: 'rep-2', previousRepId: 'rep-1', reason: 'x' } },
      ])
      .when(lapse)
      .then([
        {
          type: 'CustomerLapsed',
          data: { lastOrderAt: lapse.lastOrderAt, churnAfterDays: 180, lapsedOn: '2026-07-09', repId: 'rep-2' },
        },
      ]));

  it('lapses only once, and not after being marked lost', () => {
    specFor(customerDecider)
      .given([registered, { type: 'CustomerLapsed', data: { ...lapse, repId: 'rep-1' } as any }])
      .when(lapse)
      .then([]);
    specFor(customerDecider)
      .given([
        registered,
        { type: 'CustomerMarkedLost', data: { reason: 'closed', lostOn: '2026-05-01', repId: 'rep-1' } },
      ])
      .when(lapse)
      .then([]);
  });
});
