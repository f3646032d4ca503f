import type { ClientBase } from 'pg';
import type { RecordedEvent } from '@salesledger/domain/event';
import type { Recorded } from '@salesledger/domain/event-store.port';
import type { TokenData, UserEvent } from '@salesledger/domain/organisation/organisation.deciders';
import type { DomainEvent } from '@salesledger/domain/decider';
import type { TargetEvent } from '@salesledger/domain/targets/target.decider';
import type { Projection } from './projection-runner';

/** A row of `users`. */
export interface UserRow {
  user_id: string;
  name: string;
  email: string;
  role: string;
  team_id: string | null;
  rep_id: string | null;
  registered_at: string;
  deactivated_at: string | null;
  position: number;
}

/** A row of `tokens`: what a user may know of their tokens. */
export interface TokenRow {
  token_id: string;
  user_id: string;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  position: number;
}

/** A row of `target_proposals`: a manager's change waiting for, or decided by, a director. */
export interface ProposalRow {
  rep_id: string;
  month: string;
  proposal_id: string;
  amount: string;
  previous_amount: string | null;
  reason: string;
  proposed_by: string;
  proposed_at: string;
  status: 'pending' | 'approved' | 'rejected';
  decided_by: string | null;
  decided_at: string | null;
  rejection_reason: string | null;
  position: number;
  last_position: number;
}

type ProposalEvent = Extract<
  TargetEvent,
  { type: 'TargetProposed' | 'TargetProposalApproved' | 'TargetProposalRejected' }
>;
type UserRegistered = Recorded<Extract<UserEvent, { type: 'UserRegistered' }>>;
type TokenIssued = Recorded<DomainEvent<'TokenIssued', TokenData>>;
type DirectoryEvent = Recorded<UserEvent | DomainEvent<'TokenIssued', TokenData> | ProposalEvent>;

const TYPES: ReadonlySet<string> = new Set<DirectoryEvent['type']>([
  'UserRegistered',
  'TokenRevoked',
  'UserDeactivated',
  'TokenIssued',
  'TargetProposed',
  'TargetProposalApproved',
  'TargetProposalRejected',
]);
const PROPOSAL_TYPES: ReadonlySet<string> = new Set<ProposalEvent['type']>([
  'TargetProposed',
  'TargetProposalApproved',
  'TargetProposalRejected',
]);
const isDirectoryEvent = (event: RecordedEvent): event is DirectoryEvent => TYPES.has(event.type);

export function userRow(event: UserRegistered): UserRow {
  const { id, name, email, role, teamId, repId } = event.data;
  return {
    user_id: id,
    name,
    email,
    role,
    team_id: teamId ?? null,
    rep_id: repId ?? null,
    registered_at: event.metadata.recordedAt,
    deactivated_at: null,
    position: event.position,
  };
}

/** A token's public name: given at issue, or (for tokens issued before names) its event's id. */
export const tokenIdOf = (event: { eventId: string; data: TokenData }): string => event.data.tokenId ?? event.eventId;

export function tokenRow(event: TokenIssued): TokenRow {
  return {
    token_id: tokenIdOf(event),
    user_id: event.data.userId,
    label: event.data.label ?? null,
    created_at: event.metadata.recordedAt,
    expires_at: event.data.expiresAt ?? null,
    revoked_at: null,
    position: event.position,
  };
}

const userOfStream = (streamId: string) => streamId.slice('user-'.length);

/** Revocations and deactivations: idempotent updates, so a redelivered batch changes nothing. */
async function applyUserChanges(client: ClientBase, schema: string, events: readonly DirectoryEvent[]): Promise<void> {
  for (const event of events) {
    const at = event.metadata.recordedAt;
    if (event.type === 'TokenRevoked')
      await client.query(`UPDATE ${schema}.tokens SET revoked_at = coalesce(revoked_at, $2) WHERE token_id = $1`, [
        event.data.tokenId,
        at,
      ]);
    if (event.type === 'UserDeactivated') {
      const userId = userOfStream(event.streamId);
      await client.query(
        `UPDATE ${schema}.users SET deactivated_at = coalesce(deactivated_at, $2) WHERE user_id = $1`,
        [userId, at],
      );
      await client.query(`UPDATE ${schema}.tokens SET revoked_at = coalesce(revoked_at, $2) WHERE user_id = $1`, [
        userId,
        at,
      ]);
    }
  }
}

/** A proposal after one more of its target stream's events; the same row when it does not apply. */
export function evolveProposal(row: ProposalRow | undefined, event: Recorded<ProposalEvent>): ProposalRow | undefined {
  if (row && event.position <= row.last_position) return row;
  const at = event.metadata.recordedAt;
  const decided = { decided_by: event.metadata.actor.userId, decided_at: at, last_position: event.position };
  switch (event.type) {
    case 'TargetProposed': {
      const { repId, month, proposalId, amount, reason, proposedBy } = event.data;
      return (
        row ?? {
          rep_id: repId,
          month,
          proposal_id: proposalId,
          amount,
          previous_amount: null,
          reason,
          proposed_by: proposedBy,
          proposed_at: at,
          status: 'pending',
          decided_by: null,
          decided_at: null,
          rejection_reason: null,
          position: event.position,
          last_position: event.position,
        }
      );
    }
    case 'TargetProposalApproved':
      return row && { ...row, ...decided, status: 'approved', previous_amount: event.data.previousAmount };
    case 'TargetProposalRejected':
      return row && { ...row, ...decided, status: 'rejected', rejection_reason: event.data.reason };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

const proposalKey = (repId: string, month: string, proposalId: string) => `${repId}\u0000${month}\u0000${proposalId}`;

function proposalKeyOf(event: Recorded<ProposalEvent>): string {
  // Approvals and rejections name only the proposal; the target stream names the rep and month.
  const [repId, month] =
    event.type === 'TargetProposalRejected' ? splitTargetStream(event.streamId) : [event.data.repId, event.data.month];
  return proposalKey(repId, month, event.data.proposalId);
}

/** `target-<repId>-<YYYY-MM>`: the month is the last 7 characters. */
function splitTargetStream(streamId: string): [string, string] {
  return [streamId.slice('target-'.length, -8), streamId.slice(-7)];
}

async function loadProposals(client: ClientBase, schema: string, keys: string[]): Promise<Map<string, ProposalRow>> {
  const [reps, months, ids] = [0, 1, 2].map((part) => keys.map((key) => key.split('\u0000')[part]));
  const { rows } = await client.query<ProposalRow>(
    `SELECT rep_id, month, proposal_id, amount, previous_amount, reason, proposed_by,
            to_json(proposed_at) #>> '{}' AS proposed_at, status, decided_by,
            to_json(decided_at) #>> '{}' AS decided_at, rejection_reason,
            position::float8 AS position, last_position::float8 AS last_position
     FROM ${schema}.target_proposals
     WHERE (rep_id, month, proposal_id) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
    [reps, months, ids],
  );
  return new Map(rows.map((row) => [proposalKey(row.rep_id, row.month, row.proposal_id), row]));
}

/**
 * Users, their tokens and target proposals, for the browse routes. Users and tokens are written
 * once, then only marked (deactivated, revoked) idempotently; a proposal's events
 * come from one stream in order and an event at or below its last position is skipped, so a batch
 * applied twice (a redelivery) changes nothing.
 */
export async function applyDirectoryEvents(
  client: ClientBase,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  const batch = events.filter(isDirectoryEvent);
  await insertNew(
    client,
    `${schema}.users`,
    'user_id',
    batch.flatMap((e) => (e.type === 'UserRegistered' ? [userRow(e)] : [])),
  );
  await insertNew(
    client,
    `${schema}.tokens`,
    'token_id',
    batch.flatMap((e) => (e.type === 'TokenIssued' ? [tokenRow(e)] : [])),
  );
  await applyUserChanges(client, schema, batch);
  const proposalEvents = batch.filter((event): event is Recorded<ProposalEvent> => PROPOSAL_TYPES.has(event.type));
  if (proposalEvents.length === 0) return;
  const proposals = await loadProposals(client, schema, [...new Set(proposalEvents.map(proposalKeyOf))]);
  for (const event of proposalEvents) {
    const key = proposalKeyOf(event);
    const row = evolveProposal(proposals.get(key), event);
    if (row) proposals.set(key, row);
  }
  await client.query(
    `INSERT INTO ${schema}.target_proposals SELECT * FROM json_populate_recordset(null::${schema}.target_proposals, $1)
     ON CONFLICT (rep_id, month, proposal_id) DO UPDATE SET status = excluded.status,
       previous_amount = excluded.previous_amount, decided_by = excluded.decided_by,
       decided_at = excluded.decided_at, rejection_reason = excluded.rejection_reason,
       last_position = excluded.last_position`,
    [JSON.stringify([...proposals.values()])],
  );
}

/** Rows written once: a row already there (a redelivery) is left as it is. */
async function insertNew(client: ClientBase, table: string, key: string, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1) ON CONFLICT (${key}) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

export const directoryProjection: Projection = {
  name: 'directory',
  applies: isDirectoryEvent,
  apply: applyDirectoryEvents,
  derive: async () => undefined,
};
