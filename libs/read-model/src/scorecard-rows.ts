import type { RepDay } from './day-figures';

/** Rows of the sales fact tables as the projection writes them (migrations/1710000000000-read-model). */
export interface TeamRow {
  team_id: string;
  name: string;
  manager_user_id: string | null;
  position: number;
}
export interface RepRow {
  rep_id: string;
  name: string;
  email: string;
  team_id: string;
  hired_on: string;
  left_on: string | null;
  position: number;
}
export interface MembershipRow {
  rep_id: string;
  team_id: string;
  from_day: string;
  position: number;
}
export interface CustomerRow {
  customer_id: string;
  name: string;
  rep_id: string;
  registered_rep_id: string;
  registered_as: string;
  registered_on: string;
  key_account: boolean;
  recorded_at: string;
  position: number;
}
export interface LossRow {
  customer_id: string;
  rep_id: string;
  lost_on: string;
  kind: 'marked' | 'lapsed';
  reason: string;
  recorded_at: string;
  position: number;
}
export interface OrderVersionRow {
  order_id: string;
  version: number;
  rep_id: string;
  customer_id: string;
  placed_at: string;
  placed_on: string;
  net_amount: string;
  cancelled: boolean;
  recorded_at: string;
  superseded_at: string | null;
  position: number;
}
export interface OrderLineRow {
  order_id: string;
  line_no: number;
  sku: string;
  category: string;
  quantity: number;
  unit_price: string;
  discount: number;
  net_amount: string;
  position: number;
}
export interface VisitRow {
  visit_id: string;
  rep_id: string;
  customer_id: string;
  occurred_at: string;
  occurred_on: string;
  kind: string;
  outcome: string | null;
  recorded_at: string;
  position: number;
}
export interface PaperRow {
  rep_id: string;
  week: string;
  kind: 'plan' | 'report';
  due_at: string;
  due_on: string;
  submitted_at: string | null;
  late: boolean | null;
  submitted_recorded_at: string | null;
  overdue_recorded_at: string | null;
  position: number;
}
export interface RequestRow {
  request_id: string;
  rep_id: string;
  customer_id: string;
  received_at: string;
  received_on: string;
  due_at: string;
  recorded_at: string;
  answered_at: string | null;
  answered_recorded_at: string | null;
  response_minutes: number | null;
  within_sla: boolean | null;
  sla_missed_recorded_at: string | null;
  position: number;
}
export interface ReviewRow {
  review_id: string;
  rep_id: string;
  month: string;
  score: number;
  recorded_at: string;
  position: number;
}
export interface TargetChangeRow {
  rep_id: string;
  month: string;
  version: number;
  amount: string;
  previous_amount: string | null;
  categories: Readonly<Record<string, string>> | null;
  reason: string;
  actor_user_id: string;
  approver_user_id: string | null;
  recorded_at: string;
  position: number;
}
export interface TemplateRow {
  version: number;
  weights: Readonly<Record<string, number>>;
  actor_user_id: string;
  recorded_at: string;
  position: number;
}
export interface RepMonth {
  readonly repId: string;
  readonly month: string;
}

/**
 * What a segment of the log changes, folded in memory by the family evolvers and then written by
 * one writer: rows keyed as they are looked up, the stored ones among them loaded first.
 */
export interface Batch {
  readonly teams: Map<string, TeamRow>;
  /** New managers of teams created before the segment: team id -> manager user id. */
  readonly managers: Map<string, string>;
  readonly reps: Map<string, RepRow>;
  readonly memberships: Map<string, MembershipRow>;
  readonly customers: Map<string, CustomerRow>;
  readonly losses: LossRow[];
  /** The current version of each order the segment touches, stored or new. */
  readonly orders: Map<string, OrderVersionRow>;
  /** Stored current versions the segment supersedes: written back with their superseded_at. */
  readonly storedOrders: readonly OrderVersionRow[];
  readonly orderVersions: OrderVersionRow[];
  readonly orderLines: Map<string, OrderLineRow[]>;
  /** Customers whose first live order may have moved. */
  readonly orderCustomers: Set<string>;
  readonly visits: VisitRow[];
  readonly papers: Map<string, PaperRow>;
  readonly requests: Map<string, RequestRow>;
  /** The stored requests the segment touches that were already answered, as they were: request id -> answer. */
  readonly storedAnswers: ReadonlyMap<string, Answer>;
  readonly reviews: ReviewRow[];
  readonly targetChanges: TargetChangeRow[];
  readonly targetVersions: Map<string, number>;
  readonly targetMonths: Map<string, RepMonth>;
  readonly templates: TemplateRow[];
  holidays?: { readonly dates: readonly string[]; readonly recordedAt: string };
  /** (rep, day) keys whose figures the segment made stale. */
  readonly dirty: Map<string, RepDay>;
}

/** An answered request as the response-time counts see it: the day it was received, the minutes taken. */
export interface Answer {
  readonly day: string;
  readonly minutes: number;
}

export function touch(batch: Batch, repId: string, day: string): void {
  batch.dirty.set(`${repId}|${day}`, { repId, day });
}
