import { specFor } from '../../../../test/support/decider-spec';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { targetDecider, type TargetEvent } from './target.decider';

const spec = specFor(targetDecider);
const change = { repId: 'rep-1', month: '2026-03', amount: '1000.00', reason: 'annual plan' };
const set = { kind: 'set' as const, ...change };
const approvalAbove500 = { mode: 'above-threshold' as const, threshold: '500.00' };
const byManager = { proposalId: 'p-1', proposedBy: 'u-manager', policy: approvalAbove500 };
const wasSet: TargetEvent = { type: 'TargetSet', data: change };
const proposed: TargetEvent = {
  type: 'TargetProposed',
  data: { ...change, amount: '2000.00', reason: 'big deal', proposalId: 'p-1', proposedBy: 'u-manager' },
};

describe('a rep monthly target', () => {
  describe('never set', () => {
    it('is set with its reason', () => spec.given([]).when(set).then([wasSet]));

    it('refuses a month that is not YYYY-MM', () =>
      spec
        .given([])
        .when({ ...set, month: '2026-13' })
        .thenThrows(InvalidInputError, 'must be YYYY-MM'));

    it('is set split by product category', () =>
      spec
        .given([])
        .when({ ...set, categories: { tools: '600.00', parts: '400.00' } })
        .then([{ type: 'TargetSet', data: { ...change, categories: { tools: '600.00', parts: '400.00' } } }]));

    it('refuses categories that do not add up to the amount', () =>
      spec
        .given([])
        .when({ ...set, categories: { tools: '600.00', parts: '300.00' } })
        .thenThrows(InvalidInputError, 'add up to 900.00, not the amount 1000.00'));

    it('refuses a blank reason', () =>
      spec
        .given([])
        .when({ ...set, reason: '  ' })
        .thenThrows(InvalidInputError, 'reason'));

    it("makes a manager's setting above the threshold a proposal", () =>
      spec
        .given([])
        .when({ ...set, managerChange: byManager })
        .then([{ type: 'TargetProposed', data: { ...change, proposalId: 'p-1', proposedBy: 'u-manager' } }]));
  });

  describe('already set', () => {
    it('is revised, keeping the previous amount', () =>
      spec
        .given([wasSet])
        .when({ ...set, amount: '1200.00', reason: 'new key account' })
        .then([
          {
            type: 'TargetRevised',
            data: { ...change, amount: '1200.00', reason: 'new key account', previousAmount: '1000.00' },
          },
        ]));

    it('records the same amount for a new reason', () =>
      spec
        .given([wasSet])
        .when({ ...set, reason: 'confirmed at review' })
        .then([
          { type: 'TargetRevised', data: { ...change, reason: 'confirmed at review', previousAmount: '1000.00' } },
        ]));

    it('changes nothing when set again to the same amount for the same reason', () =>
      spec.given([wasSet]).when(set).then([]));

    it("lets a manager's change within the threshold take effect at once", () =>
      spec
        .given([wasSet])
        .when({ ...set, amount: '1500.00', reason: 'small bump', managerChange: byManager })
        .then([
          {
            type: 'TargetRevised',
            data: { ...change, amount: '1500.00', reason: 'small bump', previousAmount: '1000.00' },
          },
        ]));

    it("lets a manager's change take effect at once when approval is off", () =>
      spec
        .given([wasSet])
        .when({ ...set, amount: '9000.00', reason: 'x', managerChange: { ...byManager, policy: { mode: 'off' } } })
        .then([expect.objectContaining({ type: 'TargetRevised' }) as never]));
  });

  describe('with a pending proposal', () => {
    it('takes the proposed amount when a director approves, naming the proposer', () =>
      spec
        .given([wasSet, proposed])
        .when({ kind: 'approve', proposalId: 'p-1' })
        .then([
          {
            type: 'TargetProposalApproved',
            data: {
              ...change,
              amount: '2000.00',
              reason: 'big deal',
              proposalId: 'p-1',
              proposedBy: 'u-manager',
              previousAmount: '1000.00',
            },
          },
        ]));

    it('keeps the amount when a director rejects', () =>
      spec
        .given([wasSet, proposed])
        .when({ kind: 'reject', proposalId: 'p-1', reason: 'too high' })
        .then([{ type: 'TargetProposalRejected', data: { proposalId: 'p-1', reason: 'too high' } }]));

    it('is decided once', () =>
      spec
        .given([wasSet, proposed, { type: 'TargetProposalRejected', data: { proposalId: 'p-1', reason: 'no' } }])
        .when({ kind: 'approve', proposalId: 'p-1' })
        .thenThrows(ConflictError, 'already rejected'));

    it('refuses to decide an unknown proposal', () =>
      spec.given([wasSet]).when({ kind: 'approve', proposalId: 'p-9' }).thenThrows(NotFoundError));
  });
});
