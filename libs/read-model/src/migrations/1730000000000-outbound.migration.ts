import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * State of what leaves Salesledger (schema `outbound`): kept apart from the read model, because a
 * rebuild replaces the read model but must not make the relay publish the whole log again.
 */
export class Outbound1730000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbound.relay_checkpoints (
        name text PRIMARY KEY,
        checkpoint text,
        position bigint,
        events_published bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbound.relay_checkpoints`);
  }
}
