import { sameJson } from '../canonical-json';
import type { Decider, DomainEvent } from '../decider';
import { InvalidInputError } from '../errors';
import type { Money } from '../money';

/**
 * Whether a manager's target change needs a director's approval: never, or when it moves the
 * target by more than `threshold` (company currency; a first setting counts from zero).
 */
export type TargetApprovalPolicy = { mode: 'off' } | { mode: 'above-threshold'; threshold: Money };

export type CompanySettingsCommand =
  { kind: 'target-approval'; policy: TargetApprovalPolicy } | { kind: 'holidays'; dates: string[] };

export type CompanySettingsEvent =
  DomainEvent<'TargetApprovalPolicySet', TargetApprovalPolicy> | DomainEvent<'HolidaysSet', { dates: string[] }>;

export type CompanySettings = {
  targetApproval: TargetApprovalPolicy;
  /** Days (YYYY-MM-DD) that are not working days although they fall Monday to Friday. */
  holidays: string[];
};

export const COMPANY_SETTINGS_STREAM = 'company-settings';

export const companySettingsDecider: Decider<CompanySettingsCommand, CompanySettingsEvent, CompanySettings> = {
  initialState: { targetApproval: { mode: 'off' }, holidays: [] },
  decide: (command, state) => {
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
  evolve: (state, event) =>
    event.type === 'HolidaysSet' ? { ...state, holidays: event.data.dates } : { ...state, targetApproval: event.data },
};
