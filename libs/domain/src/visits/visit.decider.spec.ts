import { specFor } from '../../../../test/support/decider-spec';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { visitDecider, type VisitEvent } from './visit.decider';

const spec = specFor(visitDecider);
const visit = {
  id: 'v-1',
  repId: 'rep-1',
  customerId: 'c-1',
  occurredAt: '2026-03-02T09:00:00Z',
  kind: 'prospecting' as const,
};
const withFollowUp: VisitEvent = { type: 'VisitLogged', data: { ...visit, followUpOn: '2026-03-09' } };

describe('a visit', () => {
  it('is logged, with the follow-up the rep promised', () =>
    spec.given([]).when({ kind: 'log', visit: withFollowUp.data }).then([withFollowUp]));

  it('closes its follow-up as completed or missed, once', () => {
    spec
      .given([withFollowUp])
      .when({ kind: 'close-follow-up', outcome: 'completed', on: '2026-03-09' })
      .then([{ type: 'FollowUpCompleted', data: { on: '2026-03-09' } }]);
    spec
      .given([withFollowUp])
      .when({ kind: 'close-follow-up', outcome: 'missed', on: '2026-03-10' })
      .then([{ type: 'FollowUpMissed', data: { on: '2026-03-10' } }]);
    spec
      .given([withFollowUp, { type: 'FollowUpMissed', data: { on: '2026-03-10' } }])
      .when({ kind: 'close-follow-up', outcome: 'completed', on: '2026-03-11' })
      .thenThrows(ConflictError, 'already missed');
  });

  it('has no follow-up to close when none was promised', () =>
    spec
      .given([{ type: 'VisitLogged', data: visit }])
      .when({ kind: 'close-follow-up', outcome: 'completed', on: '2026-03-09' })
      .thenThrows(InvalidInputError));

  it('cannot close the follow-up of a visit never logged', () =>
    spec.given([]).when({ kind: 'close-follow-up', outcome: 'completed', on: '2026-03-09' }).thenThrows(NotFoundError));

  it('cannot be logged twice under its id', () =>
    spec.given([withFollowUp]).when({ kind: 'log', visit }).thenThrows(ConflictError));
});
