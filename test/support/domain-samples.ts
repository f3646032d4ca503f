import { randomUUID } from 'node:crypto';
import { evaluateRules, type RepSituation } from '@salesledger/domain/alerts/alert-rules.policy';
import { DEFAULT_ALERT_SETTINGS } from '@salesledger/domain/alerts/alert-settings';
import { alertDecider } from '@salesledger/domain/alerts/alert.decider';
import { handleCommand } from '@salesledger/domain/command-handler';
import { companyPlanDecider } from '@salesledger/domain/company/company-plan.decider';
import { COMPANY_SETTINGS_STREAM, companySettingsDecider } from '@salesledger/domain/company/company-settings.decider';
import { customerDecider } from '@salesledger/domain/customers/customer.decider';
import type { Decider, DomainEvent } from '@salesledger/domain/decider';
import type { Actor, JsonObject, RecordedEvent } from '@salesledger/domain/event';
import { orderDecider } from '@salesledger/domain/orders/order.decider';
import { teamDecider, tokenDecider, userDecider } from '@salesledger/domain/organisation/organisation.deciders';
import { repDecider } from '@salesledger/domain/organisation/rep.decider';
import { DEFAULT_PAPERS_DUE, weeklyPapersDecider } from '@salesledger/domain/plans/weekly-plan.decider';
import { customerRequestDecider } from '@salesledger/domain/requests/customer-request.decider';
import { reviewDecider } from '@salesledger/domain/reviews/review.decider';
import {
  SCORECARD_TEMPLATE_STREAM,
  scorecardTemplateDecider,
} from '@salesledger/domain/scorecards/scorecard-template.decider';
import { streams } from '@salesledger/domain/streams';
import { targetDecider } from '@salesledger/domain/targets/target.decider';
import { visitDecider } from '@salesledger/domain/visits/visit.decider';
import { tokenHash } from '@salesledger/sales/shared/token-hash';
import { MemoryEventStore } from './memory-event-store';

const admin: Actor = { userId: 'bootstrap-admin', role: 'admin' };
const director: Actor = { userId: 'dana', role: 'director' };
const manager: Actor = { userId: 'mia', role: 'manager' };
const rep: Actor = { userId: 'rob', role: 'rep' };
const scheduler: Actor = { userId: 'scheduler', role: 'system' };

/** A bearer token as the API issues one; its hash names the token's stream. */
export const SAMPLE_TOKEN = 'sl_c2FtcGxlLXRva2VuLW9ubHktZm9yLXNwZWNzLW5vdC1yZWFs';

/**
 * A small company's life through the real deciders and command handler, so every event comes with
 * the metadata (command id and fingerprint, correlation, hash chain) the store really holds.
 */
export async function domainSamples(): Promise<RecordedEvent[]> {
  const store = new MemoryEventStore();
  const run: Run = async (streamId, decider, actor, now, commands, commandId) => {
    for (const command of commands) {
      const context = { commandId: commandId ?? randomUUID(), actor, correlationId: randomUUID(), now: new Date(now) };
      await handleCommand(store, streamId, decider, command, context);
    }
  };
  await run(streams.team('north'), teamDecider, director, '2026-03-01T08:00:00.000Z', [
    { id: 'north', name: 'Team North', managerUserId: 'mia' },
  ]);
  await run(streams.user('mia'), userDecider, admin, '2026-03-01T08:01:00.000Z', [
    { id: 'mia', name: 'Mia Manager', email: 'mia@example.com', role: 'manager', teamId: 'north' },
  ]);
  await run(streams.user('max'), userDecider, director, '2026-03-01T08:01:30.000Z', [
    { id: 'max', name: 'Max Manager', email: 'max@example.com', role: 'manager', teamId: 'north' },
  ]);
  await run(streams.team('north'), teamDecider, director, '2026-03-01T08:01:40.000Z', [
    { kind: 'assign-manager', managerUserId: 'max' },
  ]);
  const hash = tokenHash(SAMPLE_TOKEN);
  // The API's command id for a token is its hash too: the published message must not carry it.
  await run(streams.token(hash), tokenDecider, admin, '2026-03-01T08:02:00.000Z', [{ userId: 'mia' }], hash);
  const labelled = tokenHash(`${SAMPLE_TOKEN}-labelled`);
  await run(
    streams.token(labelled),
    tokenDecider,
    admin,
    '2026-03-01T08:02:10.000Z',
    [{ userId: 'max', tokenId: 'tok-max-1', label: 'laptop', expiresAt: '2026-06-01T00:00:00.000Z' }],
    labelled,
  );
  await run(streams.user('max'), userDecider, admin, '2026-03-01T08:02:20.000Z', [
    { kind: 'revoke-token', tokenId: 'tok-max-1' },
    { kind: 'deactivate' },
  ]);
  await run(streams.rep('rob'), repDecider, manager, '2026-03-01T08:03:00.000Z', [
    { kind: 'hire', id: 'rob', name: 'Rob Rep', email: 'rob@example.com', teamId: 'north' },
  ]);
  await run(streams.rep('sue'), repDecider, director, '2026-03-01T08:04:00.000Z', [
    { kind: 'hire', id: 'sue', name: 'Sue Seller', email: 'sue@example.com', teamId: 'north' },
    { kind: 'move', teamId: 'south' },
    { kind: 'leave', reason: 'moved abroad', leftOn: '2026-03-31' },
  ]);
  await companyLife(run);
  await repWork(run);
  await alertLife(run);
  return store.readAll(null, 10_000);
}

type Run = <Command extends JsonObject, Event extends DomainEvent, State>(
  streamId: string,
  decider: Decider<Command, Event, State>,
  actor: Actor,
  now: string,
  commands: Command[],
  commandId?: string,
) => Promise<void>;

async function companyLife(run: Run): Promise<void> {
  await run(COMPANY_SETTINGS_STREAM, companySettingsDecider, director, '2026-03-01T09:00:00.000Z', [
    { kind: 'target-approval', policy: { mode: 'above-threshold', threshold: '1000.00' } },
    { kind: 'holidays', dates: ['2026-12-25', '2026-04-06', '2026-12-25'] },
    { kind: 'papers-due', due: { ...DEFAULT_PAPERS_DUE, report: { weekday: 5, hour: 17 } } },
    { kind: 'alerts', settings: { ...DEFAULT_ALERT_SETTINGS, escalateAfterHours: 48 } },
  ]);
  await run(SCORECARD_TEMPLATE_STREAM, scorecardTemplateDecider, director, '2026-03-01T09:01:00.000Z', [
    { kind: 'set', weights: { attainment: 0.6, discipline: 0.1, planCompletionRate: 0.15, requestResponseRate: 0.15 } },
  ]);
  await run(streams.companyPlan(2026), companyPlanDecider, director, '2026-03-01T09:02:00.000Z', [
    {
      year: 2026,
      amount: '1200000.00',
      weights: [0.8, 0.85, 1, 1, 1.05, 0.95, 0.7, 0.65, 1.05, 1.1, 1.25, 1.4],
      teams: { north: { amount: '1200000.00', reps: { rob: '1200000.00' } } },
      reason: 'annual plan',
    },
  ]);
  const target = streams.target('rob', '2026-03');
  const policy = { mode: 'above-threshold' as const, threshold: '1000.00' };
  const change = { kind: 'set' as const, repId: 'rob', month: '2026-03' };
  await run(target, targetDecider, director, '2026-03-01T10:00:00.000Z', [
    { ...change, amount: '30000.00', reason: 'annual plan', categories: { tools: '20000.00', safety: '10000.00' } },
    { ...change, amount: '32000.00', reason: 'new key account' },
  ]);
  await run(target, targetDecider, manager, '2026-03-02T10:00:00.000Z', [
    { ...change, amount: '40000.00', reason: 'push', managerChange: { proposalId: 'p-1', proposedBy: 'mia', policy } },
    { ...change, amount: '45000.00', reason: 'more', managerChange: { proposalId: 'p-2', proposedBy: 'mia', policy } },
  ]);
  await run(target, targetDecider, director, '2026-03-03T10:00:00.000Z', [
    { kind: 'approve', proposalId: 'p-1' },
    { kind: 'reject', proposalId: 'p-2', reason: 'too much at once' },
  ]);
}

async function repWork(run: Run): Promise<void> {
  await run(streams.customer('acme'), customerDecider, rep, '2026-03-02T08:00:00.000Z', [
    { kind: 'register', id: 'acme', name: 'Acme Ltd', repId: 'rob', status: 'customer' },
    { kind: 'flag-key-account', keyAccount: true },
    { kind: 'reassign', repId: 'sue', reason: 'territory change' },
    { kind: 'mark-lost', reason: 'went to a competitor', lostOn: '2026-03-20' },
  ]);
  await run(streams.customer('globex'), customerDecider, scheduler, '2026-03-02T08:01:00.000Z', [
    { kind: 'register', id: 'globex', name: 'Globex', repId: 'rob', status: 'prospect' },
    { kind: 'lapse', lastOrderAt: '2025-09-01T14:00:00.000Z', churnAfterDays: 180, lapsedOn: '2026-02-28' },
  ]);
  const line = { sku: 'SKU-101', category: 'tools', quantity: 3, unitPrice: '19.99', discount: 0.1 };
  await run(streams.order('o-1'), orderDecider, rep, '2026-03-02T14:05:00.000Z', [
    { kind: 'place', id: 'o-1', repId: 'rob', customerId: 'acme', placedAt: '2026-03-02T14:00', lines: [line] },
    { kind: 'amend', lines: [line, { ...line, sku: 'SKU-7', quantity: 0.5 }], reason: 'added a box' },
    { kind: 'cancel', reason: 'customer withdrew' },
  ]);
  const visit = { repId: 'rob', customerId: 'acme', kind: 'existing-customer' as const, followUpOn: '2026-03-09' };
  await run(streams.visit('v-1'), visitDecider, rep, '2026-03-02T11:00:00.000Z', [
    { kind: 'log', visit: { ...visit, id: 'v-1', occurredAt: '2026-03-02T09:30:00+01:00', outcome: 'met', notes: '' } },
    { kind: 'close-follow-up', outcome: 'completed', on: '2026-03-09' },
  ]);
  await run(streams.visit('v-2'), visitDecider, rep, '2026-03-03T11:00:00.000Z', [
    { kind: 'log', visit: { ...visit, id: 'v-2', occurredAt: '2026-03-03T10:00:00Z' } },
    { kind: 'close-follow-up', outcome: 'missed', on: '2026-03-10' },
  ]);
  const paper = { repId: 'rob', content: 'Visit the northern accounts.' };
  await run(streams.weeklyPapers('rob', '2026-W10'), weeklyPapersDecider, rep, '2026-03-06T19:00:00.000Z', [
    {
      ...paper,
      paper: 'plan',
      week: '2026-W10',
      submittedAt: '2026-03-02T08:00:00.000Z',
      due: { weekday: 1, hour: 9 },
    },
    {
      ...paper,
      paper: 'report',
      week: '2026-W10',
      submittedAt: '2026-03-06T19:00:00.000Z',
      due: { weekday: 5, hour: 18 },
    },
  ]);
  const overdue = { overdue: true as const, repId: 'rob', week: '2026-W11', now: '2026-03-14T00:00:00.000Z' };
  await run(streams.weeklyPapers('rob', '2026-W11'), weeklyPapersDecider, scheduler, '2026-03-14T00:00:00.000Z', [
    { ...overdue, paper: 'plan', due: { weekday: 1, hour: 9 } },
    { ...overdue, paper: 'report', due: { weekday: 5, hour: 18 } },
  ]);
  const request = { kind: 'receive' as const, customerId: 'acme', repId: 'rob', subject: 'Quote', slaHours: 24 };
  await run(streams.customerRequest('r-1'), customerRequestDecider, rep, '2026-03-04T12:00:00.000Z', [
    { ...request, id: 'r-1', receivedAt: '2026-03-04T09:00:00Z' },
    { kind: 'answer', answeredAt: '2026-03-04T11:30:00Z' },
  ]);
  await run(streams.customerRequest('r-2'), customerRequestDecider, scheduler, '2026-03-06T12:00:00.000Z', [
    { ...request, id: 'r-2', receivedAt: '2026-03-04T09:00:00Z' },
    { kind: 'mark-sla-missed', now: '2026-03-06T12:00:00.000Z' },
  ]);
  await run(streams.review('rv-1'), reviewDecider, manager, '2026-03-31T16:00:00.000Z', [
    { id: 'rv-1', repId: 'rob', period: '2026-03', score: 4, notes: 'steady month' },
  ]);
}

/** Decisions from the real rules, so the evidence has the shape the worker records. */
async function alertLife(run: Run): Promise<void> {
  const situation: RepSituation = {
    repId: 'rob',
    teamId: 'north',
    hiredOn: '2026-03-01',
    leftOn: null,
    holidays: [],
    month: {
      target: '32000.00',
      targetPositions: [20],
      sales: [{ day: '2026-03-04', amount: '5500.00', positions: [30] }],
    },
    lastVisit: { day: '2026-03-03', position: 35 },
    unsubmittedPapers: [],
    lostCustomers: [],
    unansweredRequests: [],
  };
  const pace = (now: string) =>
    evaluateRules(situation, DEFAULT_ALERT_SETTINGS, now).find((d) => d.rule === 'pace-below-expected');
  const [warning, critical] = [pace('2026-03-09T09:00:00.000Z'), pace('2026-03-16T09:00:00.000Z')];
  if (warning?.severity !== 'warning' || critical?.severity !== 'critical')
    throw new Error('the pace rule decided otherwise: the samples need new figures');
  const alertId = 'a-1';
  await run(streams.alert(warning.rule, 'rob', warning.period), alertDecider, scheduler, '2026-03-16T09:00:00.000Z', [
    { kind: 'raise', alertId, decision: warning, now: '2026-03-09T09:00:00.000Z' },
    { kind: 'raise', alertId: 'a-2', decision: critical, now: '2026-03-16T09:00:00.000Z' },
    {
      kind: 'record-delivery',
      alertId,
      channel: 'email',
      deliveryId: 'd-1',
      to: 'mia@example.com',
      now: '2026-03-16T09:00:05.000Z',
    },
    { kind: 'escalate', alertId, escalateAfterHours: 24, now: '2026-03-17T09:00:00.000Z' },
    { kind: 'acknowledge', alertId, note: 'talking to Rob', now: '2026-03-17T10:00:00.000Z' },
    { kind: 'resolve', alertId, reason: 'period-ended', now: '2026-04-01T00:00:00.000Z' },
  ]);
}
