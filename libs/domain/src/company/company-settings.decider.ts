import { DEFAULT_ALERT_SETTINGS, validAlertSettings, type AlertSettings } from '../alerts/alert-settings';
import { sameJson } from '../canonical-json';
import type { Decider, DomainEvent } from '../decider';
import { InvalidInputError } from '../errors';
import type { Money } from '../money';
import { DEFAULT_PAPERS_DUE, type PapersDue } from '../plans/weekly-plan.decider';

/**
 * Whether a manager's target change needs a director's approval: never, or when it moves the
 * target by more than `threshold` (company currency; a first setting counts from zero).
 */
export type TargetApprovalPolicy = { mode: 'off' } | { mode: 'above-threshold'; threshold: Money };

export type CompanySettingsCommand =
  | { kind: 'target-approval'; policy: TargetApprovalPolicy }
  | { kind: 'holidays'; dates: string[] }
  | { kind: 'papers-due'; due: PapersDue }
  | { kind: 'alerts'; settings: AlertSettings };

export type CompanySettingsEvent =
  | DomainEvent<'TargetApprovalPolicySet', TargetApprovalPolicy>
  | DomainEvent<'HolidaysSet', { dates: string[] }>
  | DomainEvent<'PapersDueSet', PapersDue>
  | DomainEvent<'AlertSettingsSet', AlertSettings>;

export type CompanySettings = {
  targetApproval: TargetApprovalPolicy;
  /** Days (YYYY-MM-DD) that are not working days although they fall Monday to Friday. */
  holidays: string[];
  /** When weekly plans and reports are due. */
  papersDue: PapersDue;
  /** Thresholds and switches of the lag alert rules. */
  alerts: AlertSettings;
};

export const COMPANY_SETTINGS_STREAM = 'company-settings';

export const companySettingsDecider: Decider<CompanySettingsCommand, CompanySettingsEvent, CompanySettings> = {
  initialState: {
    targetApproval: { mode: 'off' },
    holidays: [],
    papersDue: DEFAULT_PAPERS_DUE,
    alerts: DEFAULT_ALERT_SETTINGS,
  },
  decide: (command, state) => {
    if (command.kind === 'alerts') {
      const settings = validAlertSettings(command.settings);
      return sameJson(settings, state.alerts) ? [] : [{ type: 'AlertSettingsSet', data: settings }];
    }
    if (command.kind === 'papers-due') {
      return sameJson(command.due, state.papersDue) ? [] : [{ type: 'PapersDueSet', data: command.due }];
    }
    if (command.kind === 'holidays') {
      const dates = [...new Set(command.dates)].sort();
      return sameJson(dates, state.holidays) ? [] : [{ type: 'HolidaysSet', data: { dates } }];
    }
    const { policy } = command;
    if (policy.mode === 'above-threshold' && policy.threshold === undefined) {
      throw new InvalidInputError([{ field: 'threshold', message: 'is required when mode is above-threshold' }]);
    }
    return sameJson(policy, state.targetApproval) ? [] : [{ type: 'TargetApprovalPolicySet', data: policy }];
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'HolidaysSet':
        return { ...state, holidays: event.data.dates };
      case 'PapersDueSet':
        return { ...state, papersDue: event.data };
      case 'TargetApprovalPolicySet':
        return { ...state, targetApproval: event.data };
      case 'AlertSettingsSet':
        return { ...state, alerts: event.data };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
