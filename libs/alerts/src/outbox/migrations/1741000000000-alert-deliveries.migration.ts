import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The alert delivery outbox (docs/alerts.md, "Outbox"): who alerts go to, the webhook
 * subscriptions, and every delivery until it is delivered or dead-lettered. Kept in `outbound`
 * because a read-model rebuild must neither resend nor forget what was sent.
 */
export class AlertDeliveries1741000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- Users as registered (UserRegistered), teams with their manager (TeamCreated) and rep names
      -- (RepHired): the dispatcher keeps them in the transaction that moves its checkpoint.
      CREATE TABLE outbound.recipients (
        user_id text PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        role text NOT NULL,
        team_id text,
        position bigint NOT NULL
      );
      CREATE INDEX recipients_team ON outbound.recipients (team_id, role);
      CREATE INDEX recipients_role ON outbound.recipients (role);
      CREATE TABLE outbound.teams (
        team_id text PRIMARY KEY,
        name text NOT NULL,
        manager_user_id text,
        position bigint NOT NULL
      );
      CREATE TABLE outbound.reps (
        rep_id text PRIMARY KEY,
        name text NOT NULL,
        position bigint NOT NULL
      );

      CREATE TABLE outbound.webhook_subscriptions (
        id text PRIMARY KEY,
        url text NOT NULL,
        secret text NOT NULL,
        severities text[] NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL
      );

      CREATE TABLE outbound.alert_deliveries (
        -- Derived from the event (or manager and day) it comes from, the channel and the recipient:
        -- dispatching the same event again inserts nothing, and every attempt carries this id.
        delivery_id text PRIMARY KEY,
        alert_id text, -- null for a digest
        alert_stream_id text, -- where AlertDelivered is recorded; null for a digest
        channel text NOT NULL,
        recipient text NOT NULL, -- an email address, or a webhook subscription id
        kind text NOT NULL CHECK (kind IN ('alert', 'escalation', 'digest')),
        message jsonb NOT NULL, -- the AlertMessage, or the AlertDigest of a digest
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'cancelled')),
        attempt int NOT NULL DEFAULT 0, -- attempts started; the next one is attempt + 1
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz, -- a sender is attempting it until then
        last_error text,
        source_position bigint, -- the event it was dispatched for
        created_at timestamptz NOT NULL,
        delivered_at timestamptz,
        recorded_at timestamptz -- AlertDelivered appended (or nothing to record, for a digest)
      );
      CREATE INDEX alert_deliveries_due ON outbound.alert_deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX alert_deliveries_unrecorded ON outbound.alert_deliveries (delivered_at)
        WHERE status = 'delivered' AND recorded_at IS NULL;
      CREATE INDEX alert_deliveries_status ON outbound.alert_deliveries (status, created_at);
      CREATE INDEX alert_deliveries_recipient ON outbound.alert_deliveries (channel, recipient) WHERE status = 'pending';

      -- One row per day whose digests were created, by whichever worker got there first.
      CREATE TABLE outbound.digest_runs (
        day date PRIMARY KEY,
        deliveries int NOT NULL,
        created_at timestamptz NOT NULL
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbound.digest_runs; DROP TABLE outbound.alert_deliveries;
      DROP TABLE outbound.webhook_subscriptions; DROP TABLE outbound.reps; DROP TABLE outbound.teams;
      DROP TABLE outbound.recipients;`);
  }
}
