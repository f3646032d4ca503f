import { alertsProjection } from './alert-projection';
import { directoryProjection } from './directory-projection';
import type { Projection } from './projection-runner';
import { scorecardsProjection } from './scorecard-projection';

/** Every projection the projector runs, by the name `projections rebuild [name]` takes. */
export const PROJECTIONS: readonly Projection[] = [scorecardsProjection, alertsProjection, directoryProjection];
