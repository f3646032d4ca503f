import { specFor } from '../../../../test/support/decider-spec';
import { ConflictError, NotFoundError } from '../errors';
import { teamDecider, type TeamEvent } from './organisation.deciders';

const spec = specFor(teamDecider);
const created: TeamEvent = { type: 'TeamCreated', data: { id: 'north', name: 'North' } };
const managed: TeamEvent = {
  type: 'TeamManagerAssigned',
  data: { managerUserId: 'mina', previousManagerUserId: null },
};

describe('a team', () => {
  describe('not created', () => {
    it('is created, with or without a manager', () =>
      spec.given([]).when({ id: 'north', name: 'North' }).then([created]));
    it('has no manager to assign', () =>
      spec.given([]).when({ kind: 'assign-manager', managerUserId: 'mina' }).thenThrows(NotFoundError));
  });

  describe('without a manager', () => {
    it('gets one, with none before it', () =>
      spec.given([created]).when({ kind: 'assign-manager', managerUserId: 'mina' }).then([managed]));
    it('is not created twice', () => spec.given([created]).when({ id: 'north', name: 'N' }).thenThrows(ConflictError));
  });

  describe('with a manager', () => {
    it('changes manager, naming the previous one', () =>
      spec
        .given([created, managed])
        .when({ kind: 'assign-manager', managerUserId: 'omar' })
        .then([{ type: 'TeamManagerAssigned', data: { managerUserId: 'omar', previousManagerUserId: 'mina' } }]));
    it('records nothing when the manager is the same', () =>
      spec.given([created, managed]).when({ kind: 'assign-manager', managerUserId: 'mina' }).then([]));
  });
});
