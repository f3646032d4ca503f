import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many answered requests received in each period of every grain took each whole number of
 * minutes, and each whole number of hours: the company's median response time is then found in
 * two short reads (the hour holding the middle rank, then the minute within it) rather than sorted
 * from every answered request of the period (tens of thousands in a year). Reviews are read from
 * their index alone.
 */
export class ResponseCounts1770000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    const periods = `(VALUES
        ('day', to_char(r.received_on, 'YYYY-MM-DD')), ('week', to_char(r.received_on, 'IYYY-"W"IW')),
        ('month', to_char(r.received_on, 'YYYY-MM')), ('quarter', to_char(r.received_on, 'YYYY-"Q"Q')),
        ('year', to_char(r.received_on, 'YYYY'))
      ) p(grain, period)`;
    await queryRunner.query(`
      CREATE TABLE ${s}.response_minutes (
        grain text NOT NULL,
        period text NOT NULL,
        minutes int NOT NULL,
        requests int NOT NULL,
        PRIMARY KEY (grain, period, minutes)
      );
      CREATE TABLE ${s}.response_hours (
        grain text NOT NULL,
        period text NOT NULL,
        hours int NOT NULL,
        requests int NOT NULL,
        PRIMARY KEY (grain, period, hours)
      );
      INSERT INTO ${s}.response_minutes
      SELECT p.grain, p.period, r.response_minutes, count(*) FROM ${s}.requests r CROSS JOIN LATERAL ${periods}
      WHERE r.answered_recorded_at IS NOT NULL GROUP BY 1, 2, 3;
      INSERT INTO ${s}.response_hours
      SELECT grain, period, minutes / 60, sum(requests) FROM ${s}.response_minutes GROUP BY 1, 2, 3;
      DROP INDEX IF EXISTS ${s}.reviews_rep_month;
      CREATE INDEX reviews_rep_month ON ${s}.reviews (rep_id, month) INCLUDE (score);
    `);
    // A rebuild interrupted before this version dropped the index and kept its old definition to
    // restore: forget that one, so the resumed rebuild stages the new one.
    const [{ staging }] = await queryRunner.query(`SELECT to_regclass('${s}.staged_indexes') IS NOT NULL AS staging`);
    if (staging) await queryRunner.query(`DELETE FROM ${s}.staged_indexes WHERE name = 'reviews_rep_month'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      DROP TABLE ${s}.response_minutes;
      DROP TABLE ${s}.response_hours;
      DROP INDEX IF EXISTS ${s}.reviews_rep_month;
      CREATE INDEX reviews_rep_month ON ${s}.reviews (rep_id, month);
    `);
  }
}

const schemaOf = (queryRunner: QueryRunner) => (queryRunner.connection.options as { schema: string }).schema;
