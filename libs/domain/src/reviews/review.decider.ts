import { registrationDecider } from '../registration';

/** A manager's periodic review of a rep; its score is the rep's `discipline` for the period. */
export type ReviewData = { id: string; repId: string; period: string; score: number; notes: string };

export const reviewDecider = registrationDecider<'ReviewRecorded', ReviewData>('ReviewRecorded', 'review');
