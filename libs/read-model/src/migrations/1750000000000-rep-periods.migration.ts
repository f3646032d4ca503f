import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each rep's additive figures summed per period of every grain, kept up to date by the deltas of
 * the rep_days a batch recomputes: a live batch then derives a scorecard from three rows (the
 * period, the one before, the one a year earlier) instead of two years of days. `days` counts the
 * rep_days rows summed; a period whose count falls to 0 has no row.
 */
export class RepPeriods1750000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.rep_periods (
        rep_id text NOT NULL,
        grain text NOT NULL,
        period text NOT NULL,
        days int NOT NULL,
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
        PRIMARY KEY (rep_id, grain, period)
      );
      INSERT INTO ${s}.rep_periods
      SELECT d.rep_id, p.grain, p.period, count(*), sum(target), sum(actual), sum(orders), sum(new_customers),
        sum(prospects_developed), sum(sales_visits), sum(existing_customer_visits), sum(lost_customers),
        sum(papers_due), sum(papers_on_time), sum(requests_closed), sum(requests_within_sla)
      FROM ${s}.rep_days d CROSS JOIN LATERAL (VALUES
        ('day', to_char(d.day, 'YYYY-MM-DD')), ('week', to_char(d.day, 'IYYY-"W"IW')),
        ('month', to_char(d.day, 'YYYY-MM')), ('quarter', to_char(d.day, 'YYYY-"Q"Q')), ('year', to_char(d.day, 'YYYY'))
      ) p(grain, period)
      GROUP BY 1, 2, 3;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaOf(queryRunner)}.rep_periods`);
  }
}

const schemaOf = (queryRunner: QueryRunner) => (queryRunner.connection.options as { schema: string }).schema;
