import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stored scorecards are settled after the batch that moved their figures, in a transaction of
 * their own: a batch leaves their keys here (no key constraint, so it never waits on the settler
 * taking them away). Median response times read answered requests from one index, without the heap.
 */
export class SettledScorecards1760000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = (queryRunner.connection.options as { schema: string }).schema;
    await queryRunner.query(`
      CREATE TABLE ${s}.pending_scorecards (rep_id text NOT NULL, grain text NOT NULL, period text NOT NULL);
      CREATE INDEX requests_answered ON ${s}.requests (rep_id, received_on) INCLUDE (response_minutes)
        WHERE answered_recorded_at IS NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = (queryRunner.connection.options as { schema: string }).schema;
    await queryRunner.query(`DROP TABLE ${s}.pending_scorecards; DROP INDEX ${s}.requests_answered`);
  }
}
