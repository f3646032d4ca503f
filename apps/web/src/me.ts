import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import { useToken } from './session';

export type Role = 'admin' | 'director' | 'manager' | 'rep' | 'analyst';

/** Who the token stands for, as `GET /v1/me` answers. */
export interface Me {
  userId: string;
  role: Role;
  teamId?: string | null;
  repId?: string | null;
}

export function useMe() {
  const token = useToken();
  return useQuery({ queryKey: ['me', token], queryFn: () => api<Me>('/v1/me'), enabled: !!token, staleTime: Infinity });
}

/** Who sees the whole company: everything else is scoped to a team or a rep. */
export const seesCompany = (role: Role): boolean => role === 'admin' || role === 'director' || role === 'analyst';
export const managesPeople = (role: Role): boolean => role === 'admin' || role === 'director';
