import { InvalidInputError, type FieldProblem } from '../errors';

/** Rule ids are public: they name alerts in the API, the log (stream ids) and the settings. */
export const ALERT_RULE_IDS = [
  'pace-below-expected',
  'no-recent-visit',
  'plan-overdue',
  'report-overdue',
  'lost-customers',
  'request-past-sla',
] as const;
export type AlertRuleId = (typeof ALERT_RULE_IDS)[number];

/** Per-company tuning of the lag alerts; every change is an `AlertSettingsSet` event. */
export type AlertSettings = {
  rules: {
    /** Ratios of actual to expected-to-date; nothing before `afterWorkingDays` completed working days. */
    'pace-below-expected': { enabled: boolean; warningBelow: number; criticalBelow: number; afterWorkingDays: number };
    'no-recent-visit': { enabled: boolean; workingDaysWithoutVisit: number };
    'plan-overdue': { enabled: boolean; overdueHours: number };
    'report-overdue': { enabled: boolean; overdueHours: number };
    'lost-customers': { enabled: boolean; atLeast: number };
    'request-past-sla': { enabled: boolean };
  };
  /** An alert nobody acknowledged for this long goes to the director. */
  escalateAfterHours: number;
  /** A customer with no order for this long lapses (is lost). */
  churnAfterDays: number;
};

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  rules: {
    'pace-below-expected': { enabled: true, warningBelow: 0.85, criticalBelow: 0.7, afterWorkingDays: 5 },
    'no-recent-visit': { enabled: true, workingDaysWithoutVisit: 3 },
    'plan-overdue': { enabled: true, overdueHours: 24 },
    'report-overdue': { enabled: true, overdueHours: 24 },
    'lost-customers': { enabled: true, atLeast: 3 },
    'request-past-sla': { enabled: true },
  },
  escalateAfterHours: 24,
  churnAfterDays: 180,
};

type Check = { readonly accepts: (value: unknown) => boolean; readonly message: string };
type Shape = Check | { readonly [field: string]: Shape };

const SWITCH: Check = { accepts: (v) => typeof v === 'boolean', message: 'must be true or false' };
const RATIO: Check = {
  accepts: (v) => typeof v === 'number' && v > 0 && v <= 1,
  message: 'must be a number above 0 and at most 1',
};
const COUNT: Check = {
  accepts: (v) => Number.isSafeInteger(v) && (v as number) > 0,
  message: 'must be a whole number above 0',
};

const SHAPE: Shape = {
  rules: {
    'pace-below-expected': { enabled: SWITCH, warningBelow: RATIO, criticalBelow: RATIO, afterWorkingDays: COUNT },
    'no-recent-visit': { enabled: SWITCH, workingDaysWithoutVisit: COUNT },
    'plan-overdue': { enabled: SWITCH, overdueHours: COUNT },
    'report-overdue': { enabled: SWITCH, overdueHours: COUNT },
    'lost-customers': { enabled: SWITCH, atLeast: COUNT },
    'request-past-sla': { enabled: SWITCH },
  },
  escalateAfterHours: COUNT,
  churnAfterDays: COUNT,
};

/**
 * The settings as they will be recorded, or every problem with them. Fields not in the shape are
 * dropped, so the event holds exactly the settings in force and two equal settings compare equal.
 */
export function validAlertSettings(input: unknown): AlertSettings {
  const problems: FieldProblem[] = [];
  const settings = read(SHAPE, input, '', problems) as AlertSettings;
  const pace = problems.length === 0 ? settings.rules['pace-below-expected'] : undefined;
  if (pace && pace.criticalBelow >= pace.warningBelow)
    problems.push({ field: 'rules.pace-below-expected.criticalBelow', message: 'must be below warningBelow' });
  if (problems.length > 0) throw new InvalidInputError(problems);
  return settings;
}

function read(shape: Shape, value: unknown, at: string, problems: FieldProblem[]): unknown {
  if (isCheck(shape)) {
    if (!shape.accepts(value)) problems.push({ field: at, message: shape.message });
    return value;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ field: at || 'settings', message: 'must be an object' });
    return {};
  }
  const fields = Object.entries(shape).map(([name, inner]) => [
    name,
    read(inner, (value as Record<string, unknown>)[name], at ? `${at}.${name}` : name, problems),
  ]);
  return Object.fromEntries(fields);
}

const isCheck = (shape: Shape): shape is Check => typeof (shape as Check).accepts === 'function';

/**
 * Settings to try: `partial`, any subset of the fields, laid over `base` and checked as a whole. A
 * field that is not a setting is a problem rather than dropped, so a typo cannot pass for a tuning.
 */
export function alertSettingsWith(base: AlertSettings, partial: unknown): AlertSettings {
  const problems: FieldProblem[] = [];
  const merged = overlay(SHAPE, base, partial, '', problems);
  if (problems.length > 0) throw new InvalidInputError(problems);
  return validAlertSettings(merged);
}

function overlay(shape: Shape, base: unknown, partial: unknown, at: string, problems: FieldProblem[]): unknown {
  if (partial === undefined) return base;
  if (isCheck(shape)) return partial;
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) {
    problems.push({ field: at || 'settings', message: 'must be an object' });
    return base;
  }
  const path = (name: string) => (at ? `${at}.${name}` : name);
  for (const name of Object.keys(partial))
    if (!Object.hasOwn(shape, name)) problems.push({ field: path(name), message: 'is not a setting' });
  return Object.fromEntries(
    Object.entries(shape).map(([name, inner]) => [
      name,
      overlay(
        inner,
        (base as Record<string, unknown>)[name],
        (partial as Record<string, unknown>)[name],
        path(name),
        problems,
      ),
    ]),
  );
}
