-- Rules the database itself enforces, beyond what drizzle's schema language can say.

-- One case manager at a time, over time: two case_manager rows of a case may not overlap. Ranges are
-- half-open [valid_from, valid_to), so a handover that ends one row at t and starts the next at t is fine.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "one_case_manager_at_a_time"
  EXCLUDE USING gist ("case_id" WITH =, tstzrange("valid_from", "valid_to") WITH &&)
  WHERE ("role" = 'case_manager');
--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "one_assignment_per_worker_at_a_time"
  EXCLUDE USING gist ("case_id" WITH =, "staff_id" WITH =, tstzrange("valid_from", "valid_to") WITH &&);
--> statement-breakpoint

-- An in_charge case has an active case manager, checked at commit so that a reassignment (end one row,
-- add another) can happen inside one transaction.
CREATE FUNCTION cartella_check_case_manager() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
BEGIN
  IF TG_TABLE_NAME = 'cases' THEN target := NEW.id; ELSE target := NEW.case_id; END IF;
  IF EXISTS (SELECT 1 FROM cases c WHERE c.id = target AND c.status = 'in_charge')
     AND NOT EXISTS (
       SELECT 1 FROM assignments a
       WHERE a.case_id = target AND a.role = 'case_manager'
         AND a.valid_from <= now() AND (a.valid_to IS NULL OR a.valid_to > now())) THEN
    RAISE EXCEPTION 'an in_charge case needs exactly one active case manager'
      USING ERRCODE = '23514', CONSTRAINT = 'in_charge_needs_case_manager';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "cases_in_charge_needs_case_manager"
  AFTER INSERT OR UPDATE OF "status" ON "cases"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cartella_check_case_manager();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "assignments_in_charge_needs_case_manager"
  AFTER INSERT OR UPDATE ON "assignments"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cartella_check_case_manager();
--> statement-breakpoint

-- The audit trail is append-only: the database refuses to change or remove an event, whoever asks.
CREATE FUNCTION cartella_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = '42501';
END $$;
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION cartella_audit_is_append_only();
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION cartella_audit_is_append_only();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM PUBLIC;
--> statement-breakpoint

-- The canonical form of an audit event, hashed into the chain. Defined once, here, and used both when the
-- writer appends a batch and when verification recomputes every hash, so the two can never disagree.
-- Each field is length-prefixed (octets) so that no value can imitate a separator.
CREATE FUNCTION cartella_audit_field(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN value IS NULL THEN '~' ELSE octet_length(value)::text || ':' || value END
$$;
--> statement-breakpoint
CREATE FUNCTION cartella_audit_canonical(
  seq bigint, occurred_at timestamptz, actor_id uuid, actor_subject text, actor_role text, organisation_id uuid,
  action text, resource_type text, resource_id uuid, citizen_id uuid, case_id uuid, outcome text, reason text,
  emergency boolean, request_id text, client_address text, details jsonb
) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT convert_to(concat_ws('|',
    seq::text,
    (extract(epoch FROM occurred_at) * 1000000)::bigint::text,
    cartella_audit_field(actor_id::text), cartella_audit_field(actor_subject), cartella_audit_field(actor_role),
    cartella_audit_field(organisation_id::text), cartella_audit_field(action), cartella_audit_field(resource_type),
    cartella_audit_field(resource_id::text), cartella_audit_field(citizen_id::text), cartella_audit_field(case_id::text),
    cartella_audit_field(outcome), cartella_audit_field(reason), emergency::text, cartella_audit_field(request_id),
    cartella_audit_field(client_address), cartella_audit_field(details::text)), 'UTF8')
$$;
