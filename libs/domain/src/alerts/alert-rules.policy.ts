import Big from 'big.js';
import type { Paper } from '../plans/weekly-plan.decider';
import { dayOf, nextDay, workingDaysBetween } from '../scorecards/grains';
import { ALERT_RULE_IDS, type AlertRuleId, type AlertSettings } from './alert-settings';
import { monthPace, monthStanding, type MonthPace, type MonthSales, type PacePoint } from './month-pace';

/** One rep as the read model knows them at `now`: the facts every rule needs, and the events behind them. */
export interface RepSituation {
  readonly repId: string;
  readonly teamId: string;
  /** Where a rep who has never visited anyone starts counting days without a visit. */
  readonly hiredOn: string;
  /** From this day on the rep gets no alerts (keep them in the evaluation, so their active ones resolve). */
  readonly leftOn: string | null;
  /** The company's holidays; working days are Monday to Friday minus these. */
  readonly holidays: readonly string[];
  /** The month that contains `now`. */
  readonly month: MonthSales;
  readonly lastVisit: { readonly day: string; readonly position: number } | null;
  /** Every paper of the rep's weeks (until they left) not submitted, with its overdue event once recorded. */
  readonly unsubmittedPapers: readonly {
    readonly week: string;
    readonly kind: Paper;
    readonly dueAt: string;
    readonly positions: readonly number[];
  }[];
  /** Customers lost this month (marked or lapsed), credited to the rep. */
  readonly lostCustomers: readonly { readonly customerId: string; readonly day: string; readonly position: number }[];
  /** Every unanswered request of the rep, with the events behind it (received, SLA missed). */
  readonly unansweredRequests: readonly {
    readonly requestId: string;
    readonly customerId: string;
    readonly dueAt: string;
    readonly positions: readonly number[];
  }[];
}

export type AlertSeverity = 'warning' | 'critical';

/** Enough to explain an alert without a query: a sentence, the figures compared, the events behind them. */
export type AlertEvidence = {
  summary: string;
  figures: { [name: string]: string | number | null };
  paceCurve?: PacePoint[];
  positions: number[];
};

/** "Rule X holds for this rep about this period": what an alert is raised from. */
export type AlertDecision = {
  rule: AlertRuleId;
  repId: string;
  /** The rep's team when decided, so the alert reaches its manager. */
  teamId: string;
  /** Month for pace and lost customers, ISO week for papers, request id, day of the last visit. */
  period: string;
  severity: AlertSeverity;
  evidence: AlertEvidence;
};

export type AlertRule = (situation: RepSituation, settings: AlertSettings, now: string) => AlertDecision[];

const hoursSince = (instant: string, now: string) => (Date.parse(now) - Date.parse(instant)) / 3_600_000;

const decided = (
  situation: RepSituation,
  rule: AlertRuleId,
  period: string,
  severity: AlertSeverity,
  evidence: AlertEvidence,
): AlertDecision => ({ rule, repId: situation.repId, teamId: situation.teamId, period, severity, evidence });

const paceBelowExpected: AlertRule = (situation, settings, now) => {
  const rule = settings.rules['pace-below-expected'];
  const today = dayOf(now);
  const standing = monthStanding(situation.month, today, situation.holidays);
  if (!standing || standing.workingDaysCompleted < rule.afterWorkingDays || standing.expectedCents <= 0) return [];
  const below = (threshold: number) => isBelow(standing.actualCents, standing.expectedCents, threshold);
  const severity = below(rule.criticalBelow) ? 'critical' : below(rule.warningBelow) ? 'warning' : null;
  if (!severity) return [];
  // Only a rep who is behind needs the curve and the events behind it, for the evidence.
  const pace = monthPace(situation.month, today, situation.holidays) as MonthPace;
  const threshold = severity === 'critical' ? rule.criticalBelow : rule.warningBelow;
  return [decided(situation, 'pace-below-expected', pace.month, severity, paceEvidence(pace, threshold))];
};

/**
 * `actual < expected × threshold`, exactly: 85 % of expected to the cent is not below 85 %. The
 * threshold is taken as the decimal it is written as (0.85, not the binary fraction near it).
 */
function isBelow(actualCents: number, expectedCents: number, threshold: number): boolean {
  const [, whole = '0', fraction = '', exponent = '0'] =
    /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(threshold)) ?? [];
  const shift = fraction.length - Number(exponent);
  const digits = BigInt(whole + fraction);
  const [numerator, denominator] = shift >= 0 ? [digits, 10n ** BigInt(shift)] : [digits * 10n ** BigInt(-shift), 1n];
  return BigInt(actualCents) * denominator < BigInt(expectedCents) * numerator;
}

const percent = (value: Big.BigSource) => `${new Big(value).times(100).round(1, Big.roundHalfUp).toString()}%`;

function paceEvidence(pace: MonthPace, threshold: number): AlertEvidence {
  const { month, target, actual, expected, workingDaysCompleted, workingDaysInMonth } = pace;
  const ratio = new Big(actual).div(expected).round(4, Big.roundHalfUp);
  return {
    summary:
      `Sold ${actual} of ${expected} expected after ${workingDaysCompleted} of ${workingDaysInMonth} working days ` +
      `of ${month}: ${percent(ratio)} of pace, below ${percent(threshold)}.`,
    figures: { target, actual, expected, pace: Number(ratio), threshold, workingDaysCompleted, workingDaysInMonth },
    paceCurve: pace.curve,
    positions: pace.positions,
  };
}

/** One alert per dry spell: its period is the day of the last visit (or the hire day, for none). */
const noRecentVisit: AlertRule = (situation, settings, now) => {
  const { workingDaysWithoutVisit: threshold } = settings.rules['no-recent-visit'];
  const { lastVisit, hiredOn } = situation;
  const since = lastVisit?.day ?? hiredOn;
  const firstDayWithout = lastVisit ? nextDay(lastVisit.day) : hiredOn;
  // Completed working days only: today may still bring a visit.
  const days = workingDaysBetween(firstDayWithout, dayOf(now), new Set(situation.holidays));
  if (days < threshold) return [];
  const summary = lastVisit
    ? `No visit in the ${days} working days since the last one, on ${since}.`
    : `No visit in the ${days} working days since hired on ${since}.`;
  return [
    decided(situation, 'no-recent-visit', since, 'warning', {
      summary,
      figures: { workingDaysWithoutVisit: days, threshold, lastVisitDay: lastVisit?.day ?? null },
      positions: lastVisit ? [lastVisit.position] : [],
    }),
  ];
};

/**
 * A paper missing for longer than this is history for the weekly review, not a lag to act on: a
 * rep who skipped a report in June must not bring a manager one alert per week of the year.
 */
export const PAPER_ALERT_WINDOW_DAYS = 14;

const paperOverdue =
  (kind: Paper, rule: 'plan-overdue' | 'report-overdue'): AlertRule =>
  (situation, settings, now) => {
    const { overdueHours: threshold } = settings.rules[rule];
    const overdue = (dueAt: string) =>
      hoursSince(dueAt, now) >= threshold && hoursSince(dueAt, now) < PAPER_ALERT_WINDOW_DAYS * 24;
    return situation.unsubmittedPapers
      .filter((paper) => paper.kind === kind && overdue(paper.dueAt))
      .map(({ week, dueAt, positions }) => {
        const hoursOverdue = Math.floor(hoursSince(dueAt, now));
        return decided(situation, rule, week, 'warning', {
          summary: `The ${kind} for ${week}, due ${dueAt}, is ${hoursOverdue} h overdue (alert after ${threshold} h).`,
          figures: { dueAt, hoursOverdue, threshold },
          positions: [...positions],
        });
      });
  };

const lostCustomers: AlertRule = (situation, settings, now) => {
  const { atLeast: threshold } = settings.rules['lost-customers'];
  const today = dayOf(now);
  const month = today.slice(0, 7);
  const lost = situation.lostCustomers.filter((loss) => loss.day.slice(0, 7) === month && loss.day <= today);
  if (lost.length < threshold) return [];
  const customers = lost.map((loss) => loss.customerId).join(', ');
  return [
    decided(situation, 'lost-customers', month, 'warning', {
      summary: `${lost.length} customers lost in ${month} (${customers}); the alert is at ${threshold} or more.`,
      figures: { lost: lost.length, threshold },
      positions: lost.map((loss) => loss.position),
    }),
  ];
};

/** One alert per request, so answering one request clears exactly its alert. */
const requestPastSla: AlertRule = (situation, _settings, now) =>
  situation.unansweredRequests
    .filter((request) => Date.parse(now) > Date.parse(request.dueAt))
    .map(({ requestId, customerId, dueAt, positions }) => {
      const hoursPastSla = Math.floor(hoursSince(dueAt, now));
      return decided(situation, 'request-past-sla', requestId, 'warning', {
        summary: `Request ${requestId} from customer ${customerId} is unanswered past its SLA, which closed at ${dueAt}.`,
        figures: { customerId, dueAt, hoursPastSla },
        positions: [...positions],
      });
    });

export const ALERT_RULES: Record<AlertRuleId, AlertRule> = {
  'pace-below-expected': paceBelowExpected,
  'no-recent-visit': noRecentVisit,
  'plan-overdue': paperOverdue('plan', 'plan-overdue'),
  'report-overdue': paperOverdue('report', 'report-overdue'),
  'lost-customers': lostCustomers,
  'request-past-sla': requestPastSla,
};

/** What the enabled rules say about a rep at `now`; nothing once the rep has left. */
export function evaluateRules(situation: RepSituation, settings: AlertSettings, now: string): AlertDecision[] {
  if (situation.leftOn !== null && situation.leftOn <= dayOf(now)) return [];
  return ALERT_RULE_IDS.filter((id) => settings.rules[id].enabled).flatMap((id) =>
    ALERT_RULES[id](situation, settings, now),
  );
}
