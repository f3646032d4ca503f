import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read model's tables. They live in one schema (`read_model`, or `read_model_rebuild` while a
 * rebuild fills fresh ones), so the migration takes the schema from the connection it runs on.
 */
export class ReadModelSchema1710000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(up(schemaOf(queryRunner)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA ${schemaOf(queryRunner)} CASCADE`);
  }
}

const schemaOf = (queryRunner: QueryRunner) => (queryRunner.connection.options as { schema: string }).schema;

const up = (s: string) => `
-- Where each projection stands. Written in the same transaction as the rows it accounts for.
CREATE TABLE ${s}.projection_checkpoints (
  name text PRIMARY KEY,
  checkpoint text,
  position bigint, -- the highest position applied (commit order is not position order)
  recorded_at timestamptz,
  events_applied bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- The event the projection stopped on, until it gets past it.
  failed_position bigint,
  failed_event_type text,
  failed_error text,
  failed_at timestamptz
);

CREATE TABLE ${s}.teams (
  team_id text PRIMARY KEY,
  name text NOT NULL,
  manager_user_id text,
  position bigint NOT NULL
);

CREATE TABLE ${s}.reps (
  rep_id text PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  team_id text NOT NULL,
  hired_on date NOT NULL,
  left_on date,
  position bigint NOT NULL
);

-- Which team a rep was in on which days, so a team's past figures stay put when a rep moves.
CREATE TABLE ${s}.team_memberships (
  rep_id text NOT NULL,
  team_id text NOT NULL,
  from_day date NOT NULL,
  to_day date, -- exclusive; null while current
  position bigint NOT NULL,
  PRIMARY KEY (rep_id, from_day)
);

CREATE TABLE ${s}.customers (
  customer_id text PRIMARY KEY,
  name text NOT NULL,
  rep_id text NOT NULL,
  registered_rep_id text NOT NULL,
  registered_as text NOT NULL,
  registered_on date NOT NULL,
  key_account boolean NOT NULL DEFAULT false,
  recorded_at timestamptz NOT NULL,
  position bigint NOT NULL
);
CREATE INDEX customers_registered ON ${s}.customers (registered_rep_id, registered_on);

CREATE TABLE ${s}.customer_losses (
  customer_id text PRIMARY KEY,
  rep_id text NOT NULL,
  lost_on date NOT NULL,
  kind text NOT NULL, -- marked | lapsed
  reason text NOT NULL,
  recorded_at timestamptz NOT NULL,
  position bigint NOT NULL
);
CREATE INDEX customer_losses_rep ON ${s}.customer_losses (rep_id, lost_on);

-- Every version of every order as it was known from recorded_at until superseded_at, so figures
-- can be computed as of any instant; the current version has superseded_at null.
CREATE TABLE ${s}.order_versions (
  order_id text NOT NULL,
  version int NOT NULL,
  rep_id text NOT NULL,
  customer_id text NOT NULL,
  placed_at timestamptz NOT NULL,
  placed_on date NOT NULL,
  net_amount numeric(16, 2) NOT NULL,
  cancelled boolean NOT NULL,
  recorded_at timestamptz NOT NULL,
  superseded_at timestamptz,
  position bigint NOT NULL,
  PRIMARY KEY (order_id, version)
);
CREATE INDEX order_versions_rep_day ON ${s}.order_versions (rep_id, placed_on);
CREATE INDEX order_versions_customer ON ${s}.order_versions (customer_id, placed_at);

-- The current lines of each order (an amendment replaces them).
CREATE TABLE ${s}.order_lines (
  order_id text NOT NULL,
  line_no int NOT NULL,
  sku text NOT NULL,
  category text NOT NULL,
  quantity numeric NOT NULL,
  unit_price numeric(16, 2) NOT NULL,
  discount numeric NOT NULL,
  net_amount numeric(16, 2) NOT NULL,
  position bigint NOT NULL,
  PRIMARY KEY (order_id, line_no)
);

CREATE TABLE ${s}.visits (
  visit_id text PRIMARY KEY,
  rep_id text NOT NULL,
  customer_id text NOT NULL,
  occurred_at timestamptz NOT NULL,
  occurred_on date NOT NULL,
  kind text NOT NULL,
  outcome text,
  recorded_at timestamptz NOT NULL,
  position bigint NOT NULL
);
CREATE INDEX visits_rep_day ON ${s}.visits (rep_id, occurred_on);
CREATE INDEX visits_customer ON ${s}.visits (customer_id, occurred_at);

-- Weekly plans and reports: a row once one is submitted or marked overdue.
CREATE TABLE ${s}.papers (
  rep_id text NOT NULL,
  week text NOT NULL,
  kind text NOT NULL, -- plan | report
  due_at timestamptz NOT NULL,
  due_on date NOT NULL,
  submitted_at timestamptz,
  late boolean,
  submitted_recorded_at timestamptz,
  overdue_recorded_at timestamptz,
  position bigint NOT NULL,
  PRIMARY KEY (rep_id, week, kind)
);
CREATE INDEX papers_rep_day ON ${s}.papers (rep_id, due_on);

CREATE TABLE ${s}.requests (
  request_id text PRIMARY KEY,
  rep_id text NOT NULL,
  customer_id text NOT NULL,
  received_at timestamptz NOT NULL,
  received_on date NOT NULL,
  due_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  answered_at timestamptz,
  answered_recorded_at timestamptz,
  response_minutes int,
  within_sla boolean,
  sla_missed_recorded_at timestamptz,
  position bigint NOT NULL
);
CREATE INDEX requests_rep_day ON ${s}.requests (rep_id, received_on);

CREATE TABLE ${s}.reviews (
  review_id text PRIMARY KEY,
  rep_id text NOT NULL,
  month text NOT NULL,
  score int NOT NULL,
  recorded_at timestamptz NOT NULL,
  position bigint NOT NULL
);
CREATE INDEX reviews_rep_month ON ${s}.reviews (rep_id, month);

-- Every change of a monthly target that took effect: the audit trail BI reads.
CREATE TABLE ${s}.target_changes (
  rep_id text NOT NULL,
  month text NOT NULL,
  version int NOT NULL,
  amount numeric(16, 2) NOT NULL,
  previous_amount numeric(16, 2),
  categories jsonb,
  reason text NOT NULL,
  actor_user_id text NOT NULL,
  approver_user_id text,
  recorded_at timestamptz NOT NULL,
  position bigint NOT NULL,
  PRIMARY KEY (rep_id, month, version)
);

-- Monthly targets split over their working days, versioned like orders: a revision or a change of
-- holidays supersedes the month's rows.
CREATE TABLE ${s}.target_days (
  rep_id text NOT NULL,
  day date NOT NULL,
  amount numeric(16, 2) NOT NULL,
  recorded_at timestamptz NOT NULL,
  superseded_at timestamptz,
  position bigint NOT NULL
);
CREATE INDEX target_days_rep_day ON ${s}.target_days (rep_id, day);

-- Company holidays, versioned so an as-of scorecard counts the working days known then.
CREATE TABLE ${s}.holidays (
  day date NOT NULL,
  recorded_at timestamptz NOT NULL,
  superseded_at timestamptz
);

CREATE TABLE ${s}.scorecard_templates (
  version int PRIMARY KEY,
  weights jsonb NOT NULL,
  actor_user_id text NOT NULL,
  recorded_at timestamptz NOT NULL,
  position bigint NOT NULL
);

-- The additive figures of a rep on a day, recomputed from the tables above whenever one of their
-- inputs changes. Every grain's scorecard is a sum of these.
CREATE TABLE ${s}.rep_days (
  rep_id text NOT NULL,
  day date NOT NULL,
  target numeric(16, 2) NOT NULL,
  actual numeric(16, 2) NOT NULL,
  orders int NOT NULL,
  new_customers int NOT NULL,
  prospects_developed int NOT NULL,
  sales_visits int NOT NULL,
  existing_customer_visits int NOT NULL,
  lost_customers int NOT NULL,
  papers_due int NOT NULL,
  papers_on_time int NOT NULL,
  requests_closed int NOT NULL,
  requests_within_sla int NOT NULL,
  PRIMARY KEY (rep_id, day)
);

-- The (rep, day) figures that facts changed since they were last derived. Live projection derives
-- them in the batch's transaction; a rebuild only once, before it swaps (the result is the same).
CREATE TABLE ${s}.pending_days (
  rep_id text NOT NULL,
  day date NOT NULL,
  PRIMARY KEY (rep_id, day)
);
-- A row here: every scorecard must be derived again (new holidays or scorecard template).
CREATE TABLE ${s}.pending_everything (
  since_position bigint PRIMARY KEY
);

-- Each rep's scorecard for each grain and period with any activity: what BI and leaderboards read.
-- expected_to_date and pace depend on the day they are read, so the reporting view adds them.
CREATE TABLE ${s}.scorecards (
  rep_id text NOT NULL,
  grain text NOT NULL,
  period text NOT NULL,
  start_day date NOT NULL,
  end_day date NOT NULL,
  target numeric(16, 2) NOT NULL,
  actual numeric(16, 2) NOT NULL,
  attainment numeric,
  orders int NOT NULL,
  new_customers int NOT NULL,
  prospects_developed int NOT NULL,
  sales_visits int NOT NULL,
  existing_customer_visits int NOT NULL,
  lost_customers int NOT NULL,
  growth_rate numeric,
  yoy_growth numeric,
  discipline numeric,
  plan_completion_rate numeric,
  request_response_rate numeric,
  median_response_minutes numeric,
  composite_score numeric,
  template_version int NOT NULL,
  working_days int NOT NULL,
  PRIMARY KEY (rep_id, grain, period)
);
CREATE INDEX scorecards_leaderboard ON ${s}.scorecards (grain, period);
`;
