import { dayOf } from '@salesledger/domain/scorecards/grains';
import { idOf, type OrganisationEvent, type Recorded } from './scorecard-events';
import { touch, type Batch } from './scorecard-rows';

/** Teams, reps and which team each rep was in on which days. */
export function evolveOrganisation(batch: Batch, event: Recorded<OrganisationEvent>): void {
  const position = event.position;
  switch (event.type) {
    case 'TeamCreated': {
      const { id, name, managerUserId } = event.data;
      batch.teams.set(id, { team_id: id, name, manager_user_id: managerUserId ?? null, position });
      return;
    }
    case 'TeamManagerAssigned': {
      // The team keeps the position it was created at: the browse routes page by it.
      const teamId = idOf(event, 'team-');
      const created = batch.teams.get(teamId);
      if (created) created.manager_user_id = event.data.managerUserId;
      else batch.managers.set(teamId, event.data.managerUserId);
      return;
    }
    case 'RepHired': {
      const { id, name, email, teamId } = event.data;
      const hiredOn = dayOf(event.metadata.recordedAt);
      batch.reps.set(id, { rep_id: id, name, email, team_id: teamId, hired_on: hiredOn, left_on: null, position });
      // The first team holds everything the rep did before any move, backdated orders included.
      batch.memberships.set(`${id}|-infinity`, { rep_id: id, team_id: teamId, from_day: '-infinity', position });
      return;
    }
    case 'RepMovedTeam': {
      const repId = idOf(event, 'rep-');
      const day = dayOf(event.metadata.recordedAt);
      const rep = batch.reps.get(repId);
      if (rep) Object.assign(rep, { team_id: event.data.teamId, position });
      batch.memberships.set(`${repId}|${day}`, { rep_id: repId, team_id: event.data.teamId, from_day: day, position });
      touch(batch, repId, day);
      return;
    }
    case 'RepLeft': {
      const rep = batch.reps.get(idOf(event, 'rep-'));
      if (rep) Object.assign(rep, { left_on: event.data.leftOn, position });
      return;
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}
