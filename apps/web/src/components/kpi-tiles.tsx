import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n';
import type { Scorecard } from '../types';

/** The figures a manager reads first: sales, target, gap, attainment, change and when they were read. */
export function KpiTiles({ card, asOf }: { card: Scorecard; asOf: Date }) {
  const { t } = useTranslation();
  const f = useFormat();
  const gap = Number(card.target) - Number(card.actual);
  const growth = card.growthRate;
  return (
    <ul className="tiles" aria-label={t('home.tiles')}>
      <Tile label={t('kpi.actual')} value={f.money(card.actual)} testId="tile-actual" />
      <Tile label={t('kpi.target')} value={f.money(card.target)} testId="tile-target" />
      <Tile label={t('kpi.gap')} value={f.money(Math.max(gap, 0))} testId="tile-gap" />
      <Tile
        label={t('kpi.attainment')}
        value={f.percent(card.attainment)}
        testId="tile-attainment"
        tone={card.pace === null ? undefined : card.pace >= 1 ? 'good' : 'bad'}
      />
      <Tile
        label={t('home.change')}
        value={growth === null ? '—' : `${growth >= 0 ? '+' : ''}${f.percent(growth)}`}
        testId="tile-change"
        tone={growth === null ? undefined : growth >= 0 ? 'good' : 'bad'}
      />
      <Tile label={t('home.asOf')} value={f.instant(asOf.toISOString())} testId="tile-as-of" small />
    </ul>
  );
}

function Tile({
  label,
  value,
  testId,
  tone,
  small,
}: {
  label: string;
  value: string;
  testId: string;
  tone?: 'good' | 'bad';
  small?: boolean;
}) {
  return (
    <li className="tile" data-testid={testId}>
      <div className="label">{label}</div>
      <div className={`value ${tone ?? ''}`} style={small ? { fontSize: '1rem' } : undefined}>
        {value}
      </div>
    </li>
  );
}
