import type { Role } from '../event';
import { registrationDecider } from '../registration';

export type UserRole = Exclude<Role, 'system'>;

export type UserData = {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  teamId?: string;
  repId?: string;
};
export type TeamData = { id: string; name: string; managerUserId?: string };
export type RepData = { id: string; name: string; email: string; teamId: string };

export const userDecider = registrationDecider<'UserRegistered', UserData>('UserRegistered', 'user');
export const teamDecider = registrationDecider<'TeamCreated', TeamData>('TeamCreated', 'team');

/** Issued tokens are streams of their own, keyed by the token's hash, so a request finds its user in one read. */
export type TokenData = { userId: string };
export const tokenDecider = registrationDecider<'TokenIssued', TokenData>('TokenIssued', 'token');
