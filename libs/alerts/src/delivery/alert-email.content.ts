import type { AlertRuleId } from '@salesledger/domain/alerts/alert-settings';
import type { AlertDigest, AlertMessage } from './delivery.port';

export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

type Row = readonly [label: string, value: string];

/** What each rule says about a rep, given the alert's period (see docs/alerts.md for what the period is per rule). */
const HEADLINES: Record<AlertRuleId, (period: string) => string> = {
  'pace-below-expected': (month) => `is behind pace for ${month}`,
  'no-recent-visit': (lastVisitDay) => `has made no visit since ${lastVisitDay}`,
  'plan-overdue': (week) => `has not submitted the weekly plan for ${week}`,
  'report-overdue': (week) => `has not submitted the weekly report for ${week}`,
  'lost-customers': (month) => `has lost customers in ${month}`,
  'request-past-sla': (requestId) => `has request ${requestId} past its SLA`,
};

/** "Ana Ruiz is behind pace for 2026-11"; a rule this build does not know still reads sensibly. */
export function headline(message: AlertMessage): string {
  const phrase =
    HEADLINES[message.rule as AlertRuleId]?.(message.period) ?? `has a ${message.rule} alert for ${message.period}`;
  return `${message.repName ?? message.repId} ${phrase}`;
}

export function renderAlertEmail(message: AlertMessage, kind: 'alert' | 'escalation'): EmailContent {
  const lead = kind === 'escalation' ? ['Escalated: this alert has not been acknowledged.'] : [];
  const facts = factsOf(message);
  const figures = figuresOf(message.evidence);
  const figureText =
    figures.length > 0 ? ['', 'Figures:', ...figures.map(([label, value]) => `  ${label}: ${value}`)] : [];
  const figureHtml = figures.length > 0 ? ['<h3>Figures</h3>', htmlTable(figures)] : [];
  const text = [
    ...lead.flatMap((line) => [line, '']),
    message.summary,
    '',
    ...facts.map(([label, value]) => `${label}: ${value}`),
    ...figureText,
  ];
  const html = [
    ...lead.map((line) => `<p><strong>${escapeHtml(line)}</strong></p>`),
    `<p>${escapeHtml(message.summary)}</p>`,
    htmlTable(facts),
    ...figureHtml,
  ];
  const prefix = kind === 'escalation' ? 'escalated ' : '';
  return {
    subject: `[Salesledger] ${prefix}${message.severity}: ${headline(message)}`,
    text: text.join('\n'),
    html: html.join('\n'),
  };
}

/** One email per manager: the open alerts of the day, critical first, then oldest first. */
export function renderDigestEmail(digest: AlertDigest): EmailContent {
  const alerts = [...digest.alerts].sort(
    (a, b) => severityRank(a) - severityRank(b) || a.raisedAt.localeCompare(b.raisedAt),
  );
  const count = alerts.length === 1 ? '1 open alert' : `${alerts.length} open alerts`;
  const lines = (alert: AlertMessage) => [
    `${alert.severity}: ${headline(alert)} (raised ${alert.raisedAt})`,
    alert.summary,
    figuresOf(alert.evidence)
      .map(([label, value]) => `${label} ${value}`)
      .join(', '),
  ];
  const text = [`${count} on ${digest.day}.`, '', ...alerts.map((a) => `- ${lines(a).filter(Boolean).join('\n  ')}`)];
  const items = alerts.map((a) => `<li>${lines(a).filter(Boolean).map(escapeHtml).join('<br>')}</li>`);
  return {
    subject: `[Salesledger] ${count} on ${digest.day}`,
    text: text.join('\n'),
    html: [`<p>${escapeHtml(`${count} on ${digest.day}.`)}</p>`, `<ul>\n${items.join('\n')}\n</ul>`].join('\n'),
  };
}

/**
 * The figures compared: `evidence.figures` as the rules write it (docs/alerts.md), or the flat
 * values of any other evidence. Nested parts such as event positions and the pace curve stay out.
 */
function figuresOf(evidence: unknown): Row[] {
  const figures = isRecord(evidence) && isRecord(evidence.figures) ? evidence.figures : evidence;
  if (!isRecord(figures)) return [];
  return Object.entries(figures)
    .filter((entry): entry is [string, string | number | null] => entry[1] === null || isFigure(entry[1]))
    .map(([key, value]) => [
      key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(),
      value === null ? 'n/a' : String(value),
    ]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFigure(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

function factsOf(message: AlertMessage): Row[] {
  return [
    ['Rule', message.rule],
    ['Rep', repLabel(message)],
    ['Period', message.period],
    ['Severity', message.severity],
    ['Status', message.status],
    ['Raised at', message.raisedAt],
    ['Alert id', message.alertId],
  ];
}

function repLabel(message: AlertMessage): string {
  return message.repName ? `${message.repName} (${message.repId})` : message.repId;
}

function severityRank(message: AlertMessage): number {
  return message.severity === 'critical' ? 0 : 1;
}

function htmlTable(rows: readonly Row[]): string {
  const cells = rows.map(
    ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
  );
  return `<table>\n${cells.join('\n')}\n</table>`;
}

function escapeHtml(value: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return value.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}
