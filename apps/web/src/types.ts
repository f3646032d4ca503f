// Answers of the API as the screens read them (see /docs for the full schemas). Money is a decimal string.

export interface Scorecard {
  grain: string;
  period: string;
  target: string;
  actual: string;
  attainment: number | null;
  expectedToDate: string;
  pace: number | null;
  orders: number;
  newCustomers: number;
  prospectsDeveloped: number;
  salesVisits: number;
  existingCustomerVisits: number;
  lostCustomers: number;
  growthRate: number | null;
  yoyGrowth: number | null;
  discipline: number | null;
  planCompletionRate: number | null;
  requestResponseRate: number | null;
  medianResponseMinutes: number | null;
  compositeScore: number | null;
  workingDays: number;
  workingDaysElapsed: number;
  repId?: string;
  teamId?: string;
}

export interface PaceDay {
  day: string;
  working: boolean;
  target: string;
  actual: string;
  cumulativeTarget: string;
  cumulativeActual: string;
}

export interface Pace {
  month: string;
  repId: string | null;
  teamId: string | null;
  target: string;
  actual: string;
  expectedToDate: string;
  projection: string | null;
  workingDays: number;
  workingDaysElapsed: number;
  days: PaceDay[];
}

export interface LeaderboardEntry {
  rank: number;
  repId: string;
  repName: string;
  teamId: string | null;
  compositeScore: number | null;
  attainment: number | null;
  actual: string;
  target: string;
}

export interface Team {
  id: string;
  name: string;
  managerUserId: string | null;
}

export interface Rep {
  id: string;
  name: string;
  email: string;
  teamId: string;
  status: string;
}

export interface Alert {
  id: string;
  rule: string;
  repId: string;
  teamId: string | null;
  period: string;
  severity: string;
  status: 'open' | 'acknowledged' | 'resolved';
  raisedAt: string;
  evidence: { summary: string; figures: Record<string, unknown>; positions: number[] };
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  note: string | null;
  resolvedAt: string | null;
  escalatedAt?: string | null;
  resolution?: string | null;
  deliveries?: { channel: string; recipient: string; deliveredAt: string }[];
}

export interface User {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'director' | 'manager' | 'rep' | 'analyst';
  teamId: string | null;
  repId: string | null;
  registeredAt: string;
  active: boolean;
}

export interface ApiToken {
  tokenId: string;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface RowError {
  row: number;
  field: string;
  message: string;
  values: string[];
}

export interface ImportResult {
  rows: number;
  new: number;
  alreadyPresent: number;
  rejected: number;
  bytes: number;
  errors: RowError[];
}
