import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the browse routes list: users, their tokens and target proposals (kept by the directory projection), and
 * keyset indexes on the tables the scorecards already keep. Every list pages newest first by a key
 * that never changes once written, so pages neither skip nor repeat a row while writers append.
 */
export class Browse1752000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = (queryRunner.connection.options as { schema: string }).schema;
    await queryRunner.query(`
      CREATE TABLE ${s}.users (
        user_id text PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        role text NOT NULL,
        team_id text,
        rep_id text,
        registered_at timestamptz NOT NULL,
        deactivated_at timestamptz,
        position bigint NOT NULL
      );
      CREATE INDEX users_page ON ${s}.users (position DESC);
      CREATE INDEX users_team ON ${s}.users (team_id, position DESC);
      CREATE INDEX users_rep ON ${s}.users (rep_id);

      -- API tokens as listed to their users: never the token, never its hash.
      CREATE TABLE ${s}.tokens (
        token_id text PRIMARY KEY,
        user_id text NOT NULL,
        label text,
        created_at timestamptz NOT NULL,
        expires_at timestamptz,
        revoked_at timestamptz,
        position bigint NOT NULL
      );
      CREATE INDEX tokens_user ON ${s}.tokens (user_id, position DESC);

      CREATE TABLE ${s}.target_proposals (
        rep_id text NOT NULL,
        month text NOT NULL,
        proposal_id text NOT NULL,
        amount numeric(16, 2) NOT NULL,
        previous_amount numeric(16, 2),
        reason text NOT NULL,
        proposed_by text NOT NULL,
        proposed_at timestamptz NOT NULL,
        status text NOT NULL,
        decided_by text,
        decided_at timestamptz,
        rejection_reason text,
        position bigint NOT NULL, -- of the proposal: the page key
        last_position bigint NOT NULL, -- of the last event applied: an event at or below it is skipped
        PRIMARY KEY (rep_id, month, proposal_id)
      );
      CREATE INDEX target_proposals_status ON ${s}.target_proposals (status, position DESC);
      CREATE INDEX target_proposals_page ON ${s}.target_proposals (position DESC);

      CREATE INDEX teams_page ON ${s}.teams (position DESC);
      CREATE INDEX reps_page ON ${s}.reps (hired_on DESC, rep_id DESC);
      CREATE INDEX reps_team ON ${s}.reps (team_id, hired_on DESC, rep_id DESC);
      CREATE INDEX customers_page ON ${s}.customers (registered_on DESC, customer_id DESC);
      CREATE INDEX customers_rep ON ${s}.customers (rep_id, registered_on DESC, customer_id DESC);
      CREATE INDEX order_versions_page ON ${s}.order_versions (placed_at DESC, order_id DESC)
        WHERE superseded_at IS NULL;
      CREATE INDEX order_versions_rep_page ON ${s}.order_versions (rep_id, placed_at DESC, order_id DESC)
        WHERE superseded_at IS NULL;
      CREATE INDEX visits_page ON ${s}.visits (occurred_at DESC, visit_id DESC);
      CREATE INDEX visits_rep_page ON ${s}.visits (rep_id, occurred_at DESC, visit_id DESC);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = (queryRunner.connection.options as { schema: string }).schema;
    await queryRunner.query(`DROP TABLE ${s}.users, ${s}.tokens, ${s}.target_proposals`);
  }
}
