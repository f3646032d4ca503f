import { specFor } from '../../../../test/support/decider-spec';
import { InvalidInputError } from '../errors';
import { targetDecider } from './target.decider';

const spec = specFor(targetDecider);
const set = { repId: 'rep-1', month: '2026-03', amount: '1000.00', reason: 'annual plan' };

describe('a rep monthly target', () => {
  describe('never set', () => {
    it('is set with its reason', () =>
      spec
        .given([])
        .when(set)
        .then([{ type: 'TargetSet', data: set }]));

    it('refuses a month that is not YYYY-MM', () =>
      spec
        .given([])
        .when({ ...set, month: '2026-13' })
        .thenThrows(InvalidInputError, 'must be YYYY-MM'));

    it('refuses a blank reason', () =>
      spec
        .given([])
        .when({ ...set, reason: '  ' })
        .thenThrows(InvalidInputError, 'reason'));
  });

  describe('already set', () => {
    const history = [{ type: 'TargetSet' as const, data: set }];

    it('is revised, keeping the previous amount', () =>
      spec
        .given(history)
        .when({ ...set, amount: '1200.00', reason: 'new key account' })
        .then([
          {
            type: 'TargetRevised',
            data: { ...set, amount: '1200.00', reason: 'new key account', previousAmount: '1000.00' },
          },
        ]));

    it('records the same amount for a new reason', () =>
      spec
        .given(history)
        .when({ ...set, reason: 'confirmed at review' })
        .then([{ type: 'TargetRevised', data: { ...set, reason: 'confirmed at review', previousAmount: '1000.00' } }]));

    it('changes nothing when set again to the same amount for the same reason', () =>
      spec.given(history).when(set).then([]));
  });
});
