import type { UserRole } from '@salesledger/domain/organisation/organisation.deciders';
import { closed, day, enumOf, eventSchema, id, instant, streamOf, text } from './schema-parts';

const USER_ROLE = enumOf<UserRole>({ admin: true, director: true, manager: true, rep: true, analyst: true });

export const ORGANISATION_SCHEMAS = {
  UserRegistered: eventSchema('UserRegistered', {
    stream: streamOf('user'),
    description: 'A user was registered with a role, and for managers and reps their team or rep.',
    data: closed({ id, name: text, email: text, role: USER_ROLE }, { teamId: id, repId: id }),
  }),
  TokenRevoked: eventSchema('TokenRevoked', {
    stream: streamOf('user'),
    description: "One of the user's API tokens was revoked: from now on it is refused everywhere.",
    data: closed({ tokenId: id }),
  }),
  UserDeactivated: eventSchema('UserDeactivated', {
    stream: streamOf('user'),
    description: 'The user was deactivated: every token of theirs is refused from now on.',
    data: closed({}),
  }),
  TeamCreated: eventSchema('TeamCreated', {
    stream: streamOf('team'),
    description: 'A sales team was created, optionally with its manager.',
    data: closed({ id, name: text }, { managerUserId: id }),
  }),
  TeamManagerAssigned: eventSchema('TeamManagerAssigned', {
    stream: streamOf('team'),
    description: "A team's manager was set or changed; previousManagerUserId is null when it had none.",
    data: closed({ managerUserId: id, previousManagerUserId: { anyOf: [id, { type: 'null' }] } }),
  }),
  TokenIssued: eventSchema('TokenIssued', {
    // Internally the stream is named after the token's hash; it is published under a pseudonym.
    stream: '^token-[0-9a-f]{32}$',
    description:
      'An API token was issued to a user, with its public id, label and expiry. The stream id is a pseudonym, never derived reversibly from the token.',
    data: closed({ userId: id }, { tokenId: id, label: text, expiresAt: instant }),
  }),
  RepHired: eventSchema('RepHired', {
    stream: streamOf('rep'),
    description: 'A sales rep joined a team.',
    data: closed({ id, name: text, email: text, teamId: id }),
  }),
  RepMovedTeam: eventSchema('RepMovedTeam', {
    stream: streamOf('rep'),
    description: 'A rep moved to another team (from the day it was recorded).',
    data: closed({ teamId: id, previousTeamId: id }),
  }),
  RepLeft: eventSchema('RepLeft', {
    stream: streamOf('rep'),
    description: 'A rep left the company.',
    data: closed({ reason: text, leftOn: day }),
  }),
};
