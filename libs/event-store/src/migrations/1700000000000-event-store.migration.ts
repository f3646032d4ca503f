import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EventStoreSchema1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(UP);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA event_store CASCADE');
  }
}

const UP = `
CREATE SCHEMA IF NOT EXISTS event_store;

-- One row per stream: its head revision and hash. Appends lock the stream with an advisory lock,
-- and this row lets audit verify notice a removed last event.
CREATE TABLE event_store.streams (
  stream_id text PRIMARY KEY,
  revision bigint NOT NULL,
  head_hash bytea NOT NULL
);

CREATE TABLE event_store.events (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The writing transaction: readers page by (transaction_id, position) and stop below the oldest
  -- running transaction, so an event that commits late can never land behind a reader's checkpoint.
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  stream_revision bigint NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  hash bytea NOT NULL,
  UNIQUE (stream_id, stream_revision)
);

CREATE INDEX events_global_order ON event_store.events (transaction_id, position);

-- One call, one statement, one round trip: expected-revision check, hash chain and insert happen
-- under the stream's lock. The lock is taken before the first write so that the transaction id,
-- and with it the global order, follows the stream's revision order. A retried append fails here
-- (on the revision check or the unique event id) and the adapter then returns the stored result.
CREATE FUNCTION event_store.append_events(
  p_stream text,
  p_expected bigint, -- NULL: any; -1: no stream; n: exactly revision n
  p_events jsonb     -- [{id, type, data, metadata, digest (hex)}, ...]
) RETURNS TABLE (stream_revision bigint, "position" bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_revision bigint;
  v_first bigint;
  v_hash bytea;
  v_hashes bytea[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));

  SELECT s.revision, s.head_hash INTO v_revision, v_hash
    FROM event_store.streams s WHERE s.stream_id = p_stream;
  IF NOT FOUND THEN
    v_revision := -1;
  END IF;
  IF p_expected IS NOT NULL AND p_expected <> v_revision THEN
    RAISE EXCEPTION 'stream % is at revision %, expected %', p_stream, v_revision, p_expected
      USING ERRCODE = 'SL001', DETAIL = v_revision::text;
  END IF;

  v_first := v_revision + 1;
  FOR i IN 0 .. jsonb_array_length(p_events) - 1 LOOP
    v_revision := v_revision + 1;
    v_hash := sha256(coalesce(v_hash, ''::bytea) || decode(p_events -> i ->> 'digest', 'hex') || int8send(v_revision));
    v_hashes[i + 1] := v_hash;
  END LOOP;

  -- Under the stream's lock the row cannot appear meanwhile, so no ON CONFLICT is needed.
  IF v_first = 0 THEN
    INSERT INTO event_store.streams (stream_id, revision, head_hash) VALUES (p_stream, v_revision, v_hash);
  ELSE
    UPDATE event_store.streams SET revision = v_revision, head_hash = v_hash WHERE stream_id = p_stream;
  END IF;

  RETURN QUERY
    INSERT INTO event_store.events AS e
      (stream_id, stream_revision, event_id, type, data, metadata, recorded_at, hash)
    SELECT p_stream, v_first + u.n - 1, (u.event ->> 'id')::uuid, u.event ->> 'type', u.event -> 'data',
        u.event -> 'metadata', (u.event -> 'metadata' ->> 'recordedAt')::timestamptz, v_hashes[u.n]
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS u(event, n)
    RETURNING e.stream_revision, e.position;
END
$$;
`;
