import { alertsProjection } from './alert-projection';
import { directoryProjection } from './directory-projection';
import type { Projection } from './projection-runner';
import { applyScorecardEvents, deriveFigures, settleScorecards } from './scorecard-projection';

/** Every projection the projector runs, by the name `projections rebuild [name]` takes. */
export const PROJECTIONS: readonly Projection[] = [
  { name: 'scorecards', apply: applyScorecardEvents, derive: deriveFigures, settle: settleScorecards },
  alertsProjection,
  directoryProjection,
];
