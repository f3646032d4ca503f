import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log's read order becomes a sequence number handed out after commit by a sealer, with a hash
 * chain over the whole log. Transaction ids (xid8) belong to one cluster: a restore into another
 * one made readers skip events. They now only decide the order in which pending events are sealed.
 */
export class SealedLog1764900000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(TABLES);
    await queryRunner.query(APPEND);
    await queryRunner.query(SEAL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION event_store.seal_log(integer)');
    await queryRunner.query('DROP TABLE event_store.seal, event_store.log, event_store.pending');
    await queryRunner.query('CREATE INDEX events_global_order ON event_store.events (transaction_id, position)');
  }
}

const TABLES = `
-- Events committed but not yet sealed, keyed by their writing transaction: the sealer takes them in
-- that order once no older transaction can still commit. Small: sealing empties it.
CREATE TABLE event_store.pending (
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  "position" bigint NOT NULL,
  PRIMARY KEY (transaction_id, "position")
);

-- The log in read order. chain(seq) = sha256(chain(seq - 1) || seq as int8 || the event's hash);
-- seq is the checkpoint readers page by.
CREATE TABLE event_store.log (
  seq bigint PRIMARY KEY,
  "position" bigint NOT NULL UNIQUE,
  chain bytea NOT NULL
);

-- The head of the sealed log, and the cluster whose transaction ids the pending rows carry.
CREATE TABLE event_store.seal (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  seq bigint NOT NULL,
  chain bytea,
  system_identifier bigint
);
INSERT INTO event_store.seal (seq) VALUES (0);

-- Every event stored so far waits to be sealed in its old read order (seal_log does it at once,
-- because no cluster is recorded yet).
INSERT INTO event_store.pending (transaction_id, "position")
  SELECT transaction_id, "position" FROM event_store.events;
DROP INDEX event_store.events_global_order;
`;

const APPEND = `
CREATE OR REPLACE FUNCTION event_store.append_events(
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

  IF v_first = 0 THEN
    INSERT INTO event_store.streams (stream_id, revision, head_hash) VALUES (p_stream, v_revision, v_hash);
  ELSE
    UPDATE event_store.streams SET revision = v_revision, head_hash = v_hash WHERE stream_id = p_stream;
  END IF;

  -- The pending row carries this transaction's id, taken after the stream lock like the rows'.
  RETURN QUERY
    WITH inserted AS (
      INSERT INTO event_store.events AS e
        (stream_id, stream_revision, event_id, type, data, metadata, recorded_at, hash)
      SELECT p_stream, v_first + u.n - 1, (u.event ->> 'id')::uuid, u.event ->> 'type', u.event -> 'data',
          u.event -> 'metadata', (u.event -> 'metadata' ->> 'recordedAt')::timestamptz, v_hashes[u.n]
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS u(event, n)
      RETURNING e.stream_revision, e."position"
    ), queued AS (
      INSERT INTO event_store.pending ("position") SELECT i."position" FROM inserted i
    )
    SELECT i.stream_revision, i."position" FROM inserted i;
END
$$;
`;

const SEAL = `
-- Seals up to p_limit pending events (all when NULL), one sealer at a time. Appends never wait for it.
CREATE FUNCTION event_store.seal_log(p_limit integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_chain bytea;
  v_known bigint;
  v_system bigint;
  v_bound xid8;
  v_xids xid8[] := '{}';
  v_positions bigint[] := '{}';
  v_seqs bigint[] := '{}';
  v_sealed bigint[] := '{}';
  v_chains bytea[] := '{}';
  r record;
BEGIN
  PERFORM pg_advisory_xact_lock(7390413520102);
  SELECT s.seq, s.chain, s.system_identifier INTO v_seq, v_chain, v_known FROM event_store.seal s;
  SELECT c.system_identifier INTO v_system FROM pg_control_system() c;
  -- In another cluster (a restore) the pending ids are foreign: every one of those transactions
  -- committed before the dump, so they are all sealed now, in their own order, before any new one.
  v_bound := CASE WHEN v_known IS NOT DISTINCT FROM v_system THEN pg_snapshot_xmin(pg_current_snapshot()) END;
  FOR r IN
    SELECT p.transaction_id, p."position" AS pos, e.hash
      FROM event_store.pending p LEFT JOIN event_store.events e ON e."position" = p."position"
      WHERE v_bound IS NULL OR p.transaction_id < v_bound
      ORDER BY p.transaction_id, p."position"
      LIMIT CASE WHEN v_bound IS NULL THEN NULL ELSE p_limit END
  LOOP
    v_xids := v_xids || r.transaction_id;
    v_positions := v_positions || r.pos;
    -- A pending row whose event is gone (deleted before sealing) only leaves the queue.
    CONTINUE WHEN r.hash IS NULL;
    v_seq := v_seq + 1;
    v_chain := sha256(coalesce(v_chain, ''::bytea) || int8send(v_seq) || r.hash);
    v_seqs := v_seqs || v_seq;
    v_sealed := v_sealed || r.pos;
    v_chains := v_chains || v_chain;
  END LOOP;
  IF cardinality(v_xids) = 0 AND v_bound IS NOT NULL THEN
    RETURN 0;
  END IF;
  INSERT INTO event_store.log (seq, "position", chain) SELECT * FROM unnest(v_seqs, v_sealed, v_chains);
  DELETE FROM event_store.pending p USING unnest(v_xids, v_positions) AS d(xid, pos)
    WHERE p.transaction_id = d.xid AND p."position" = d.pos;
  UPDATE event_store.seal SET seq = v_seq, chain = v_chain, system_identifier = v_system;
  RETURN cardinality(v_seqs);
END
$$;
`;
