-- Appending to the audit chain, measured on the writer's own connection (issue 10): the batch statement
-- spent ~300 µs of PostgreSQL CPU before its first row, parsing and planning cartella_audit_canonical again.
-- That SQL function cannot be inlined (concat_ws and convert_to are only STABLE), so PostgreSQL prepared its
-- body anew in every statement that called it. In PL/pgSQL the same expression is planned once per session.
-- Its value is unchanged, byte for byte: existing chains verify as before (test/audit/verification.test.ts
-- compares the Node and SQL verifiers on events of any content).
CREATE OR REPLACE FUNCTION cartella_audit_canonical(
  seq bigint, occurred_at timestamptz, actor_id uuid, actor_subject text, actor_role text, organisation_id uuid,
  action text, resource_type text, resource_id uuid, citizen_id uuid, case_id uuid, outcome text, reason text,
  emergency boolean, request_id text, client_address text, details jsonb
) RETURNS bytea LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN convert_to(concat_ws('|',
    seq::text,
    (extract(epoch FROM occurred_at) * 1000000)::bigint::text,
    cartella_audit_field(actor_id::text), cartella_audit_field(actor_subject), cartella_audit_field(actor_role),
    cartella_audit_field(organisation_id::text), cartella_audit_field(action), cartella_audit_field(resource_type),
    cartella_audit_field(resource_id::text), cartella_audit_field(citizen_id::text), cartella_audit_field(case_id::text),
    cartella_audit_field(outcome), cartella_audit_field(reason), emergency::text, cartella_audit_field(request_id),
    cartella_audit_field(client_address), cartella_audit_field(details::text)), 'UTF8');
END $$;
--> statement-breakpoint

-- One batch of the group-commit writer (src/platform/audit/audit-writer.ts) in one statement, run on its
-- own (autocommit): one round trip per batch instead of BEGIN, INSERT and COMMIT. The advisory lock orders
-- every instance's batches into one chain; it is taken before the head is read, and each statement of a
-- PL/pgSQL function takes a new snapshot, so the head read is the one the previous batch committed.
-- `events` is a JSON array of the events in their order (`ord` 1..n).
CREATE FUNCTION cartella_audit_append(events jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  head_seq bigint;
  head_hash bytea;
  prev_hash bytea;
  e record;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('cartella:audit-chain'));
  SELECT a.seq, a.hash INTO head_seq, head_hash FROM audit_events a ORDER BY a.seq DESC LIMIT 1;
  head_seq := coalesce(head_seq, 0);
  head_hash := coalesce(head_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
  FOR e IN SELECT * FROM jsonb_to_recordset(events) AS x(
    ord int, occurred_at timestamptz, actor_id uuid, actor_subject text, actor_role text, organisation_id uuid,
    action text, resource_type text, resource_id uuid, citizen_id uuid, case_id uuid, outcome text, reason text,
    emergency boolean, request_id text, client_address text, details jsonb) ORDER BY x.ord
  LOOP
    head_seq := head_seq + 1;
    prev_hash := head_hash;
    head_hash := sha256(prev_hash || cartella_audit_canonical(head_seq, e.occurred_at, e.actor_id, e.actor_subject,
      e.actor_role, e.organisation_id, e.action, e.resource_type, e.resource_id, e.citizen_id, e.case_id, e.outcome,
      e.reason, e.emergency, e.request_id, e.client_address, e.details));
    INSERT INTO audit_events (seq, occurred_at, actor_id, actor_subject, actor_role, organisation_id, action,
      resource_type, resource_id, citizen_id, case_id, outcome, reason, emergency, request_id, client_address,
      details, prev_hash, hash)
    VALUES (head_seq, e.occurred_at, e.actor_id, e.actor_subject, e.actor_role, e.organisation_id, e.action,
      e.resource_type, e.resource_id, e.citizen_id, e.case_id, e.outcome, e.reason, e.emergency, e.request_id,
      e.client_address, e.details, prev_hash, head_hash);
  END LOOP;
END $$;
