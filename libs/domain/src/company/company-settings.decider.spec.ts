import { specFor } from '../../../../test/support/decider-spec';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../alerts/alert-settings';
import { fold } from '../decider';
import { InvalidInputError } from '../errors';
import { companySettingsDecider, type CompanySettingsEvent } from './company-settings.decider';

const spec = specFor(companySettingsDecider);

const quieter: AlertSettings = {
  ...DEFAULT_ALERT_SETTINGS,
  rules: {
    ...DEFAULT_ALERT_SETTINGS.rules,
    'pace-below-expected': { enabled: false, warningBelow: 0.8, criticalBelow: 0.6, afterWorkingDays: 8 },
  },
  escalateAfterHours: 48,
  churnAfterDays: 120,
};
const set = (settings: AlertSettings): CompanySettingsEvent => ({ type: 'AlertSettingsSet', data: settings });

/** The defaults with one field of one rule replaced. */
const withPace = (field: string, value: unknown) =>
  ({
    ...DEFAULT_ALERT_SETTINGS,
    rules: {
      ...DEFAULT_ALERT_SETTINGS.rules,
      'pace-below-expected': { ...DEFAULT_ALERT_SETTINGS.rules['pace-below-expected'], [field]: value },
    },
  }) as AlertSettings;

describe("the company's alert settings", () => {
  it('are the defaults of DESIGN.md until a director sets them', () =>
    expect(fold(companySettingsDecider, []).alerts).toEqual(DEFAULT_ALERT_SETTINGS));

  it('given the defaults, when a director tunes them, then the whole new settings are recorded', () =>
    spec
      .given([])
      .when({ kind: 'alerts', settings: quieter })
      .then([set(quieter)]));

  it('given settings in force, when the same are set again (keys in any order), then nothing is recorded', () => {
    spec.given([]).when({ kind: 'alerts', settings: DEFAULT_ALERT_SETTINGS }).then([]);
    const reordered = { churnAfterDays: 120, escalateAfterHours: 48, rules: quieter.rules };
    spec
      .given([set(quieter)])
      .when({ kind: 'alerts', settings: reordered })
      .then([]);
  });

  it('given tuned settings, when folded, then they are in force', () =>
    expect(fold(companySettingsDecider, [set(quieter)]).alerts).toEqual(quieter));

  it('given settings with fields it does not know, when set, then those are left out of the event', () =>
    spec
      .given([])
      .when({ kind: 'alerts', settings: { ...quieter, colour: 'red' } as AlertSettings })
      .then([set(quieter)]));

  it('accepts a threshold of exactly 1, and refuses 0 or above 1', () => {
    spec
      .given([])
      .when({ kind: 'alerts', settings: withPace('warningBelow', 1) })
      .then([set(withPace('warningBelow', 1))]);
    spec
      .given([])
      .when({ kind: 'alerts', settings: withPace('criticalBelow', 0) })
      .thenThrows(InvalidInputError, 'rules.pace-below-expected.criticalBelow: must be a number above 0 and at most 1');
    spec
      .given([])
      .when({ kind: 'alerts', settings: withPace('warningBelow', 1.01) })
      .thenThrows(InvalidInputError, 'rules.pace-below-expected.warningBelow');
  });

  it('refuses a critical threshold that is not below the warning one', () =>
    spec
      .given([])
      .when({ kind: 'alerts', settings: withPace('criticalBelow', 0.85) })
      .thenThrows(InvalidInputError, 'rules.pace-below-expected.criticalBelow: must be below warningBelow'));

  it('refuses day and hour counts that are not whole numbers above 0, and switches that are not booleans', () => {
    spec
      .given([])
      .when({ kind: 'alerts', settings: withPace('afterWorkingDays', 2.5) })
      .thenThrows(InvalidInputError, 'rules.pace-below-expected.afterWorkingDays: must be a whole number above 0');
    spec
      .given([])
      .when({ kind: 'alerts', settings: { ...DEFAULT_ALERT_SETTINGS, churnAfterDays: 0 } })
      .thenThrows(InvalidInputError, 'churnAfterDays: must be a whole number above 0');
    spec
      .given([])
      .when({ kind: 'alerts', settings: withPace('enabled', 'yes') })
      .thenThrows(InvalidInputError, 'rules.pace-below-expected.enabled: must be true or false');
  });

  it('names every problem at once, a missing rule included', () => {
    const { 'no-recent-visit': _missing, ...rules } = DEFAULT_ALERT_SETTINGS.rules;
    const settings = { ...DEFAULT_ALERT_SETTINGS, rules, escalateAfterHours: -1 } as unknown as AlertSettings;
    let error: InvalidInputError | undefined;
    try {
      companySettingsDecider.decide({ kind: 'alerts', settings }, companySettingsDecider.initialState);
    } catch (thrown) {
      error = thrown as InvalidInputError;
    }
    expect(error?.problems.map((problem) => problem.field)).toEqual(['rules.no-recent-visit', 'escalateAfterHours']);
  });
});
