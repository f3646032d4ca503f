import { registrationDecider } from '../registration';

export const VISIT_KINDS = ['prospecting', 'existing-customer', 'follow-up'] as const;

export type VisitData = {
  id: string;
  repId: string;
  customerId: string;
  occurredAt: string;
  kind: (typeof VISIT_KINDS)[number];
  outcome?: string;
  notes?: string;
};

export const visitDecider = registrationDecider<'VisitLogged', VisitData>('VisitLogged', 'visit');
