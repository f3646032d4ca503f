import { specFor } from '../../../../test/support/decider-spec';
import { ConflictError, NotFoundError } from '../errors';
import { repDecider, type RepEvent } from './rep.decider';

const spec = specFor(repDecider);
const ann = { id: 'rep-1', name: 'Ann', email: 'ann@example.com', teamId: 'north' };
const hired: RepEvent = { type: 'RepHired', data: ann };

describe('a rep', () => {
  describe('not hired', () => {
    it('is hired into a team', () =>
      spec
        .given([])
        .when({ kind: 'hire', ...ann })
        .then([hired]));
    it('cannot move', () => spec.given([]).when({ kind: 'move', teamId: 'south' }).thenThrows(NotFoundError));
  });

  describe('active', () => {
    it('moves to another team, remembering the previous one', () =>
      spec
        .given([hired])
        .when({ kind: 'move', teamId: 'south' })
        .then([{ type: 'RepMovedTeam', data: { teamId: 'south', previousTeamId: 'north' } }]));

    it('does not move to the team it is in', () =>
      spec.given([hired]).when({ kind: 'move', teamId: 'north' }).then([]));

    it('leaves with a reason and a date', () =>
      spec
        .given([hired])
        .when({ kind: 'leave', reason: 'resigned', leftOn: '2026-06-30' })
        .then([{ type: 'RepLeft', data: { reason: 'resigned', leftOn: '2026-06-30' } }]));

    it('cannot be hired again under its id', () =>
      spec
        .given([hired])
        .when({ kind: 'hire', ...ann })
        .thenThrows(ConflictError));
  });

  describe('gone', () => {
    const left: RepEvent[] = [hired, { type: 'RepLeft', data: { reason: 'resigned', leftOn: '2026-06-30' } }];
    it('cannot move', () =>
      spec.given(left).when({ kind: 'move', teamId: 'south' }).thenThrows(ConflictError, 'has left'));
    it('cannot leave twice', () =>
      spec.given(left).when({ kind: 'leave', reason: 'x', leftOn: '2026-07-01' }).thenThrows(ConflictError));
  });
});
