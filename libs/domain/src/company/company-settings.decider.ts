import { sameJson } from '../canonical-json';
import type { Decider, DomainEvent } from '../decider';
import { InvalidInputError } from '../errors';
import type { Money } from '../money';

/**
 * Whether a manager's target change needs a director's approval: never, or when it moves the
 * target by more than `threshold` (company currency; a first setting counts from zero).
 */
export type TargetApprovalPolicy = { mode: 'off' } | { mode: 'above-threshold'; threshold: Money };

export type CompanySettingsEvent = DomainEvent<'TargetApprovalPolicySet', TargetApprovalPolicy>;

export type CompanySettings = { targetApproval: TargetApprovalPolicy };

export const COMPANY_SETTINGS_STREAM = 'company-settings';

export const companySettingsDecider: Decider<TargetApprovalPolicy, CompanySettingsEvent, CompanySettings> = {
  initialState: { targetApproval: { mode: 'off' } },
  decide: (policy, state) => {
    if (policy.mode === 'above-threshold' && policy.threshold === undefined) {
      throw new InvalidInputError([{ field: 'threshold', message: 'is required when mode is above-threshold' }]);
    }
    if (sameJson(policy, state.targetApproval)) return [];
    return [{ type: 'TargetApprovalPolicySet', data: policy }];
  },
  evolve: (_state, event) => ({ targetApproval: event.data }),
};
