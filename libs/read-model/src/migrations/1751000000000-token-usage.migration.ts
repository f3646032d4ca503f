import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each API token was last used: operational state the API writes (at most once a minute per
 * token), not a fact of the log, so it lives beside the outbound state that a rebuild keeps.
 */
export class TokenUsage1751000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbound.token_usage (
        token_id text PRIMARY KEY,
        last_used_at timestamptz NOT NULL
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbound.token_usage`);
  }
}
