import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many answered requests received in each period of every grain took each whole number of
 * minutes: the company's median response time is then read from a few thousand counts rather than
 * sorted from every answered request of the period (tens of thousands in a year).
 */
export class ResponseMinutes1770000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.response_minutes (
        grain text NOT NULL,
        period text NOT NULL,
        minutes int NOT NULL,
        requests int NOT NULL,
        PRIMARY KEY (grain, period, minutes)
      );
      INSERT INTO ${s}.response_minutes
      SELECT p.grain, p.period, r.response_minutes, count(*)
      FROM ${s}.requests r CROSS JOIN LATERAL (VALUES
        ('day', to_char(r.received_on, 'YYYY-MM-DD')), ('week', to_char(r.received_on, 'IYYY-"W"IW')),
        ('month', to_char(r.received_on, 'YYYY-MM')), ('quarter', to_char(r.received_on, 'YYYY-"Q"Q')),
        ('year', to_char(r.received_on, 'YYYY'))
      ) p(grain, period)
      WHERE r.answered_recorded_at IS NOT NULL
      GROUP BY 1, 2, 3;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaOf(queryRunner)}.response_minutes`);
  }
}

const schemaOf = (queryRunner: QueryRunner) => (queryRunner.connection.options as { schema: string }).schema;
