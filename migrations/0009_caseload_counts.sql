CREATE TABLE "caseload_case_counts" (
	"organisation_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"user_area" "user_area" NOT NULL,
	"status" "case_status" NOT NULL,
	"complexity_1" integer DEFAULT 0 NOT NULL,
	"complexity_2" integer DEFAULT 0 NOT NULL,
	"complexity_3" integer DEFAULT 0 NOT NULL,
	"judicial" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "caseload_worker_counts" (
	"organisation_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"role" "assignment_role" NOT NULL,
	"user_area" "user_area" NOT NULL,
	"complexity_1" integer DEFAULT 0 NOT NULL,
	"complexity_2" integer DEFAULT 0 NOT NULL,
	"complexity_3" integer DEFAULT 0 NOT NULL,
	"judicial" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
DROP INDEX "assignments_open_ended_idx";--> statement-breakpoint
ALTER TABLE "caseload_case_counts" ADD CONSTRAINT "caseload_case_counts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caseload_case_counts" ADD CONSTRAINT "caseload_case_counts_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caseload_worker_counts" ADD CONSTRAINT "caseload_worker_counts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caseload_worker_counts" ADD CONSTRAINT "caseload_worker_counts_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "caseload_case_counts_key_idx" ON "caseload_case_counts" USING btree ("organisation_id","team_id","user_area","status");--> statement-breakpoint
CREATE INDEX "caseload_worker_counts_key_idx" ON "caseload_worker_counts" USING btree ("organisation_id","staff_id","role","user_area");--> statement-breakpoint
CREATE INDEX "assignments_starting_idx" ON "assignments" USING btree ("organisation_id","valid_from","case_id","staff_id","role") WHERE "assignments"."valid_to" is null;--> statement-breakpoint

-- Caseload counts (src/modules/metrics/METRICS.md §Live, and fast), kept in the same transaction as every
-- change to assignments and cases. caseload_worker_counts holds, per worker, role and user area, the
-- open-ended assignments (valid_to is null) on active cases; the read adds what the passing of time decides
-- (rows with an end date, open-ended rows not started yet) from the assignments themselves, so the figures
-- stay exact without any refresh. caseload_case_counts holds the active cases per team, area and status.
--
-- A key may have several rows, summed when read. A change adds to any row of its key that no other
-- transaction holds (SKIP LOCKED), or adds a new row: two transactions never wait for each other on a
-- counter, so crossing reassignments between the same workers cannot deadlock here. A key has as many rows
-- as transactions ever changed it at the same instant — one, in practice.
CREATE FUNCTION cartella_add_worker_count(org uuid, worker uuid, worker_role assignment_role, area user_area,
  case_complexity smallint, case_judicial boolean, delta integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  slot tid;
BEGIN
  SELECT ctid INTO slot FROM caseload_worker_counts
  WHERE organisation_id = org AND staff_id = worker AND role = worker_role AND user_area = area
  LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF FOUND THEN
    UPDATE caseload_worker_counts SET complexity_1 = complexity_1 + (case_complexity = 1)::int * delta,
      complexity_2 = complexity_2 + (case_complexity = 2)::int * delta, complexity_3 = complexity_3 + (case_complexity = 3)::int * delta,
      judicial = judicial + case_judicial::int * delta
    WHERE ctid = slot;
  ELSE
    INSERT INTO caseload_worker_counts (organisation_id, staff_id, role, user_area, complexity_1, complexity_2, complexity_3, judicial)
    VALUES (org, worker, worker_role, area, (case_complexity = 1)::int * delta, (case_complexity = 2)::int * delta,
      (case_complexity = 3)::int * delta, case_judicial::int * delta);
  END IF;
END $$;
--> statement-breakpoint
CREATE FUNCTION cartella_add_case_count(org uuid, team uuid, area user_area, active_status case_status,
  case_complexity smallint, case_judicial boolean, delta integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  slot tid;
BEGIN
  SELECT ctid INTO slot FROM caseload_case_counts
  WHERE organisation_id = org AND team_id = team AND user_area = area AND status = active_status
  LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF FOUND THEN
    UPDATE caseload_case_counts SET complexity_1 = complexity_1 + (case_complexity = 1)::int * delta,
      complexity_2 = complexity_2 + (case_complexity = 2)::int * delta, complexity_3 = complexity_3 + (case_complexity = 3)::int * delta,
      judicial = judicial + case_judicial::int * delta
    WHERE ctid = slot;
  ELSE
    INSERT INTO caseload_case_counts (organisation_id, team_id, user_area, status, complexity_1, complexity_2, complexity_3, judicial)
    VALUES (org, team, area, active_status, (case_complexity = 1)::int * delta, (case_complexity = 2)::int * delta,
      (case_complexity = 3)::int * delta, case_judicial::int * delta);
  END IF;
END $$;
--> statement-breakpoint

-- An open-ended assignment counts for its worker while its case is active. The case row is read FOR SHARE:
-- a concurrent change of the case's status, area, complexity or judicial measure then waits for this
-- transaction (and its trigger below sees this assignment), or this one waits for it (and reads the case as
-- changed) — either way the assignment is counted under the case's final attributes.
CREATE FUNCTION cartella_count_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.valid_to IS NULL AND NEW.valid_to IS NULL AND OLD.case_id = NEW.case_id
     AND OLD.staff_id = NEW.staff_id AND OLD.role = NEW.role AND OLD.organisation_id = NEW.organisation_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.valid_to IS NULL THEN
    SELECT status, user_area, complexity, judicial_measure INTO c FROM cases WHERE id = OLD.case_id FOR SHARE;
    IF c.status IN ('open', 'in_charge') THEN
      PERFORM cartella_add_worker_count(OLD.organisation_id, OLD.staff_id, OLD.role, c.user_area, c.complexity, c.judicial_measure, -1);
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.valid_to IS NULL THEN
    SELECT status, user_area, complexity, judicial_measure INTO c FROM cases WHERE id = NEW.case_id FOR SHARE;
    IF c.status IN ('open', 'in_charge') THEN
      PERFORM cartella_add_worker_count(NEW.organisation_id, NEW.staff_id, NEW.role, c.user_area, c.complexity, c.judicial_measure, 1);
    END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "assignments_count_caseload" AFTER INSERT OR DELETE OR UPDATE OF organisation_id, case_id, staff_id, role, valid_to
  ON "assignments" FOR EACH ROW EXECUTE FUNCTION cartella_count_assignment();
--> statement-breakpoint

-- A case counts in its team's totals while active; when its activity, area, complexity or judicial measure
-- changes, its open-ended assignments move with it in their workers' counts.
CREATE FUNCTION cartella_count_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_active boolean := TG_OP = 'UPDATE' AND OLD.status IN ('open', 'in_charge');
  is_active boolean := NEW.status IN ('open', 'in_charge');
  a record;
BEGIN
  IF was_active THEN
    PERFORM cartella_add_case_count(OLD.organisation_id, OLD.team_id, OLD.user_area, OLD.status, OLD.complexity, OLD.judicial_measure, -1);
  END IF;
  IF is_active THEN
    PERFORM cartella_add_case_count(NEW.organisation_id, NEW.team_id, NEW.user_area, NEW.status, NEW.complexity, NEW.judicial_measure, 1);
  END IF;
  -- A new case has no assignments yet; open → in_charge (or a team change) leaves the workers' counts as they are.
  IF TG_OP = 'INSERT' OR (was_active = is_active AND (NOT is_active OR (OLD.user_area = NEW.user_area
     AND OLD.complexity = NEW.complexity AND OLD.judicial_measure = NEW.judicial_measure))) THEN
    RETURN NULL;
  END IF;
  FOR a IN SELECT organisation_id, staff_id, role FROM assignments WHERE case_id = NEW.id AND valid_to IS NULL ORDER BY staff_id LOOP
    IF was_active THEN
      PERFORM cartella_add_worker_count(a.organisation_id, a.staff_id, a.role, OLD.user_area, OLD.complexity, OLD.judicial_measure, -1);
    END IF;
    IF is_active THEN
      PERFORM cartella_add_worker_count(a.organisation_id, a.staff_id, a.role, NEW.user_area, NEW.complexity, NEW.judicial_measure, 1);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "cases_count_caseload" AFTER INSERT OR UPDATE OF organisation_id, team_id, user_area, complexity, judicial_measure, status
  ON "cases" FOR EACH ROW EXECUTE FUNCTION cartella_count_case();
--> statement-breakpoint

-- Recounts both from the record, one row per key; only while nobody writes (a migration, a bulk load).
CREATE FUNCTION cartella_rebuild_caseload_counts() RETURNS void LANGUAGE sql AS $$
  DELETE FROM caseload_worker_counts;
  DELETE FROM caseload_case_counts;
  INSERT INTO caseload_worker_counts (organisation_id, staff_id, role, user_area, complexity_1, complexity_2, complexity_3, judicial)
  SELECT a.organisation_id, a.staff_id, a.role, c.user_area, count(*) FILTER (WHERE c.complexity = 1),
    count(*) FILTER (WHERE c.complexity = 2), count(*) FILTER (WHERE c.complexity = 3), count(*) FILTER (WHERE c.judicial_measure)
  FROM assignments a JOIN cases c ON c.id = a.case_id
  WHERE a.valid_to IS NULL AND c.status IN ('open', 'in_charge')
  GROUP BY 1, 2, 3, 4;
  INSERT INTO caseload_case_counts (organisation_id, team_id, user_area, status, complexity_1, complexity_2, complexity_3, judicial)
  SELECT organisation_id, team_id, user_area, status, count(*) FILTER (WHERE complexity = 1),
    count(*) FILTER (WHERE complexity = 2), count(*) FILTER (WHERE complexity = 3), count(*) FILTER (WHERE judicial_measure)
  FROM cases WHERE status IN ('open', 'in_charge')
  GROUP BY 1, 2, 3, 4;
$$;
--> statement-breakpoint

-- The synthetic-data loader loads with triggers off and then calls cartella_rebuild_case_flow() (migration
-- 0007): that name now recounts every counter, the flow's (under its new name) and the caseload's, so a
-- freshly seeded database starts with exact counts.
ALTER FUNCTION cartella_rebuild_case_flow() RENAME TO cartella_rebuild_flow_counts;
--> statement-breakpoint
CREATE FUNCTION cartella_rebuild_case_flow() RETURNS void LANGUAGE sql AS $$
  SELECT cartella_rebuild_flow_counts();
  SELECT cartella_rebuild_caseload_counts();
$$;
--> statement-breakpoint
SELECT cartella_rebuild_caseload_counts();
