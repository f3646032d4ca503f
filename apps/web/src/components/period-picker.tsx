import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GRAINS, isPeriod, shiftPeriod, type Grain } from '../periods';

/** Grain and period, with a step back and forward; a typed period is taken once it is well formed. */
export function PeriodPicker({
  grain,
  period,
  grains = GRAINS,
  onChange,
}: {
  grain: Grain;
  period: string;
  grains?: readonly Grain[];
  onChange: (grain: Grain, period: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [typed, setTyped] = useState(period);
  useEffect(() => setTyped(period), [period]);
  return (
    <div className="toolbar" role="group" aria-label={t('period.period')}>
      {grains.length > 1 && (
        <label htmlFor={`${id}-grain`}>
          {t('period.grain')}
          <select id={`${id}-grain`} value={grain} onChange={(event) => onChange(event.target.value as Grain, '')}>
            {grains.map((g) => (
              <option key={g} value={g}>
                {t(`grain.${g}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <button
        type="button"
        className="secondary"
        aria-label={t('period.previous')}
        onClick={() => onChange(grain, shiftPeriod(grain, period, -1))}
      >
        ‹
      </button>
      <label htmlFor={`${id}-period`}>
        {t('period.period')}
        <input
          id={`${id}-period`}
          value={typed}
          size={10}
          aria-invalid={!isPeriod(grain, typed)}
          onChange={(event) => {
            setTyped(event.target.value);
            if (isPeriod(grain, event.target.value)) onChange(grain, event.target.value);
          }}
        />
      </label>
      <button
        type="button"
        className="secondary"
        aria-label={t('period.next')}
        onClick={() => onChange(grain, shiftPeriod(grain, period, 1))}
      >
        ›
      </button>
    </div>
  );
}
