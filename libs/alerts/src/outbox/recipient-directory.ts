import type { ClientBase } from 'pg';
import type { RecordedEvent } from '@salesledger/domain/event';
import type { RepData, TeamData, UserData } from '@salesledger/domain/organisation/organisation.deciders';
import { OUTBOUND } from '@salesledger/postgres/schemas';

/**
 * Who alerts go to, kept by the dispatcher from the organisation's events in the transaction that
 * moves its checkpoint: users (UserRegistered), each team's manager (TeamCreated, TeamManagerAssigned) and rep names
 * (RepHired), so a message names the rep. A later event of the same entity wins.
 */
export async function applyOrganisationEvent(client: ClientBase, event: RecordedEvent): Promise<void> {
  switch (event.type) {
    case 'UserRegistered': {
      const { id, name, email, role, teamId } = event.data as UserData;
      await client.query(
        `INSERT INTO ${OUTBOUND}.recipients (user_id, name, email, role, team_id, position)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, email = excluded.email, role = excluded.role,
           team_id = excluded.team_id, position = excluded.position WHERE recipients.position < excluded.position`,
        [id, name, email, role, teamId ?? null, event.position],
      );
      return;
    }
    case 'TeamCreated': {
      const { id, name, managerUserId } = event.data as TeamData;
      await client.query(
        `INSERT INTO ${OUTBOUND}.teams (team_id, name, manager_user_id, position) VALUES ($1, $2, $3, $4)
         ON CONFLICT (team_id) DO UPDATE SET name = excluded.name, manager_user_id = excluded.manager_user_id,
           position = excluded.position WHERE teams.position < excluded.position`,
        [id, name, managerUserId ?? null, event.position],
      );
      return;
    }
    case 'TeamManagerAssigned': {
      const { managerUserId } = event.data as { managerUserId: string };
      await client.query(
        `UPDATE ${OUTBOUND}.teams SET manager_user_id = $2, position = $3 WHERE team_id = $1 AND position < $3`,
        [event.streamId.slice('team-'.length), managerUserId, event.position],
      );
      return;
    }
    case 'RepHired': {
      const { id, name } = event.data as RepData;
      await client.query(
        `INSERT INTO ${OUTBOUND}.reps (rep_id, name, position) VALUES ($1, $2, $3)
         ON CONFLICT (rep_id) DO UPDATE SET name = excluded.name, position = excluded.position
           WHERE reps.position < excluded.position`,
        [id, name, event.position],
      );
      return;
    }
  }
}

/** A team's managers: users with the manager role in the team, and the user the team names as its manager. */
const TEAM_MANAGERS = `
  SELECT team_id, email FROM ${OUTBOUND}.recipients WHERE role = 'manager' AND team_id IS NOT NULL
  UNION
  SELECT t.team_id, r.email FROM ${OUTBOUND}.teams t JOIN ${OUTBOUND}.recipients r ON r.user_id = t.manager_user_id`;

export async function teamManagerEmails(client: ClientBase, teamId: string): Promise<string[]> {
  const { rows } = await client.query(`SELECT email FROM (${TEAM_MANAGERS}) m WHERE team_id = $1`, [teamId]);
  return rows.map((row) => row.email as string);
}

/** Every team's manager addresses, for the digest. */
export async function managersByTeam(client: ClientBase): Promise<Map<string, string[]>> {
  const { rows } = await client.query(`${TEAM_MANAGERS} ORDER BY 1, 2`);
  const teams = new Map<string, string[]>();
  for (const { team_id, email } of rows) teams.set(team_id, [...(teams.get(team_id) ?? []), email]);
  return teams;
}

export async function directorEmails(client: ClientBase): Promise<string[]> {
  const { rows } = await client.query(`SELECT email FROM ${OUTBOUND}.recipients WHERE role = 'director'`);
  return rows.map((row) => row.email as string);
}

export async function repName(client: ClientBase, repId: string): Promise<string | undefined> {
  const { rows } = await client.query(`SELECT name FROM ${OUTBOUND}.reps WHERE rep_id = $1`, [repId]);
  return rows[0]?.name;
}
