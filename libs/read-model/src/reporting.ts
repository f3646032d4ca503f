import type { ClientBase } from 'pg';

/** The role a BI login is granted: it reads the reporting views and nothing else. */
export const REPORTING_ROLE = 'salesledger_reporting';

/**
 * The BI schema (docs/reporting.md): stable views over the read model. They are recreated at
 * every start and after a rebuild swaps the read model in, so their definition follows the code.
 */
export async function createReportingViews(client: ClientBase, rm = 'read_model'): Promise<void> {
  await client.query(`
CREATE SCHEMA IF NOT EXISTS reporting;

CREATE OR REPLACE VIEW reporting.scorecards AS
SELECT c.rep_id, r.name AS rep_name,
  (SELECT m.team_id FROM ${rm}.team_memberships m WHERE m.rep_id = c.rep_id AND m.from_day < c.end_day
   ORDER BY m.from_day DESC LIMIT 1) AS team_id,
  c.grain, c.period, c.start_day, (c.end_day - 1) AS end_day,
  c.target, c.actual, c.attainment,
  coalesce(round(c.target * e.elapsed / nullif(c.working_days, 0), 2), 0) AS expected_to_date,
  round(c.actual / nullif(round(c.target * e.elapsed / nullif(c.working_days, 0), 2), 0), 4) AS pace,
  c.orders, c.new_customers, c.prospects_developed, c.sales_visits, c.existing_customer_visits, c.lost_customers,
  c.growth_rate, c.yoy_growth, c.discipline, c.plan_completion_rate, c.request_response_rate,
  c.median_response_minutes, c.composite_score, c.template_version, c.working_days,
  e.elapsed AS working_days_elapsed
FROM ${rm}.scorecards c
JOIN ${rm}.reps r USING (rep_id)
CROSS JOIN LATERAL (
  SELECT count(*)::int AS elapsed
  FROM generate_series(c.start_day, least(c.end_day, (now() AT TIME ZONE 'UTC')::date) - 1, interval '1 day') d
  WHERE extract(isodow FROM d) < 6 AND d::date NOT IN (SELECT day FROM ${rm}.holidays WHERE superseded_at IS NULL)
) e;

CREATE OR REPLACE VIEW reporting.target_changes AS
SELECT t.rep_id, r.name AS rep_name, t.month, t.version, t.amount, t.previous_amount,
  t.amount - coalesce(t.previous_amount, 0) AS change, t.categories, t.reason,
  t.actor_user_id, t.approver_user_id, t.recorded_at, t.position
FROM ${rm}.target_changes t
LEFT JOIN ${rm}.reps r USING (rep_id);

CREATE OR REPLACE VIEW reporting.orders AS
SELECT o.order_id, o.rep_id, o.customer_id, o.placed_at, o.placed_on, o.net_amount, o.cancelled,
  o.version, o.recorded_at AS changed_at, o.position
FROM ${rm}.order_versions o
WHERE o.superseded_at IS NULL;

CREATE OR REPLACE VIEW reporting.order_lines AS
SELECT l.order_id, l.line_no, l.sku, l.category, l.quantity, l.unit_price, l.discount, l.net_amount, l.position
FROM ${rm}.order_lines l;

CREATE OR REPLACE VIEW reporting.visits AS
SELECT v.visit_id, v.rep_id, v.customer_id, v.occurred_at, v.occurred_on, v.kind, v.outcome,
  EXISTS (
    SELECT 1 FROM ${rm}.order_versions o
    WHERE o.customer_id = v.customer_id AND o.superseded_at IS NULL AND NOT o.cancelled AND o.placed_at < v.occurred_at
  ) AS existing_customer,
  v.recorded_at, v.position
FROM ${rm}.visits v;

CREATE OR REPLACE VIEW reporting.alerts AS
SELECT a.alert_id, a.rule, a.rep_id, r.name AS rep_name, a.team_id, a.period, a.severity, a.status,
  a.escalated_at IS NOT NULL AS escalated, a.raised_at, a.escalated_at,
  a.acknowledged_at, a.acknowledged_by, a.acknowledgement_note, a.resolved_at, a.resolution_reason,
  a.evidence ->> 'summary' AS summary, a.evidence,
  (SELECT count(*)::int FROM ${rm}.alert_deliveries d WHERE d.alert_id = a.alert_id) AS deliveries,
  a.position
FROM ${rm}.alerts a
LEFT JOIN ${rm}.reps r USING (rep_id);

DO $$ BEGIN
  CREATE ROLE ${REPORTING_ROLE} NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- roles are cluster-wide; another database made it
END $$;
GRANT USAGE ON SCHEMA reporting TO ${REPORTING_ROLE};
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO ${REPORTING_ROLE};
`);
}

/**
 * Embedded mode's BI login (`salesledger db url --reporting`): the reporting role itself, given a
 * password. On a server of their own, operators make their own logins instead (docs/reporting.md).
 */
export async function enableReportingLogin(client: ClientBase, password: string): Promise<void> {
  await client.query(`ALTER ROLE ${REPORTING_ROLE} WITH LOGIN PASSWORD ${client.escapeLiteral(password)}`);
}
