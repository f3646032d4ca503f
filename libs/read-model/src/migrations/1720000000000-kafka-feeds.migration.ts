import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What consuming the log from Kafka needs: the last revision applied per stream (a redelivered
 * message is recognised and skipped), and the scorecards changed since the feed last published them.
 */
export class KafkaFeeds1720000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = (queryRunner.connection.options as { schema: string }).schema;
    await queryRunner.query(`
      CREATE TABLE ${s}.applied_streams (
        projection text NOT NULL,
        stream_id text NOT NULL,
        revision int NOT NULL,
        PRIMARY KEY (projection, stream_id)
      );
      -- One row per changed scorecard (so it never outgrows the scorecards); seq orders the feed
      -- and tells the feed whether a row changed again while it was publishing.
      CREATE SEQUENCE ${s}.scorecard_change_seq;
      CREATE TABLE ${s}.scorecard_changes (
        rep_id text NOT NULL,
        grain text NOT NULL,
        period text NOT NULL,
        seq bigint NOT NULL DEFAULT nextval('${s}.scorecard_change_seq'),
        PRIMARY KEY (rep_id, grain, period)
      );
      CREATE INDEX scorecard_changes_seq ON ${s}.scorecard_changes (seq);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = (queryRunner.connection.options as { schema: string }).schema;
    await queryRunner.query(`DROP TABLE ${s}.scorecard_changes; DROP SEQUENCE ${s}.scorecard_change_seq;
      DROP TABLE ${s}.applied_streams;`);
  }
}
