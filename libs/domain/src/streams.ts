/** One stream per aggregate instance; the id scheme is part of the log's public shape. */
export const streams = {
  user: (id: string) => `user-${id}`,
  team: (id: string) => `team-${id}`,
  rep: (id: string) => `rep-${id}`,
  token: (hash: string) => `token-${hash}`,
  customer: (id: string) => `customer-${id}`,
  target: (repId: string, month: string) => `target-${repId}-${month}`,
  visit: (id: string) => `visit-${id}`,
  order: (id: string) => `order-${id}`,
  weeklyPapers: (repId: string, week: string) => `papers-${repId}-${week}`,
  review: (id: string) => `review-${id}`,
  customerRequest: (id: string) => `request-${id}`,
  companyPlan: (year: number) => `company-plan-${year}`,
  /** One stream per (rule, rep, period): it holds that key's alerts one after another, at most one not resolved. */
  alert: (rule: string, repId: string, period: string) => `alert-${rule}-${repId}-${period}`,
};
