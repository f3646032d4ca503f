import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The lag alerts as the in-app API and BI read them: one row per alert, one per delivery. */
export class Alerts1740000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.alerts (
        alert_id text PRIMARY KEY,
        stream_id text NOT NULL,
        rule text NOT NULL,
        rep_id text NOT NULL,
        team_id text NOT NULL, -- the rep's team when the alert was raised: whose manager it reaches
        period text NOT NULL,
        severity text NOT NULL,
        -- Escalation is not a status: an escalated alert is open, with escalated_at set.
        status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
        raised_at timestamptz NOT NULL,
        evidence jsonb NOT NULL,
        escalated_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by text,
        acknowledgement_note text,
        resolved_at timestamptz,
        resolution_reason text,
        position bigint NOT NULL -- the last event of the alert applied
      );
      CREATE INDEX alerts_status ON ${s}.alerts (status, raised_at);
      CREATE INDEX alerts_team ON ${s}.alerts (team_id, raised_at);
      CREATE INDEX alerts_rep ON ${s}.alerts (rep_id, raised_at);
      -- What the alert worker reconciles an evaluation with: the alerts not resolved, by rep.
      CREATE INDEX alerts_active ON ${s}.alerts (rep_id) WHERE status <> 'resolved';

      CREATE TABLE ${s}.alert_deliveries (
        alert_id text NOT NULL,
        delivery_id text PRIMARY KEY,
        channel text NOT NULL,
        recipient text NOT NULL,
        delivered_at timestamptz NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX alert_deliveries_alert ON ${s}.alert_deliveries (alert_id, delivered_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.alert_deliveries; DROP TABLE ${s}.alerts;`);
  }
}

const schemaOf = (queryRunner: QueryRunner) => (queryRunner.connection.options as { schema: string }).schema;
