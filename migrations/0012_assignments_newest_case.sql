ALTER TABLE "assignments" ADD COLUMN "case_created_at" timestamp with time zone;--> statement-breakpoint

-- The existing rows, before the trigger below exists: the column was just added under this migration's lock,
-- so nobody inserts meanwhile. The UPDATE changes no column the case-manager rule reads, so that rule's
-- deferred check (one per row, at commit) is left out.
ALTER TABLE "assignments" DISABLE TRIGGER "assignments_in_charge_needs_case_manager";--> statement-breakpoint
UPDATE "assignments" a SET "case_created_at" = c."created_at" FROM "cases" c WHERE c."id" = a."case_id";--> statement-breakpoint
ALTER TABLE "assignments" ENABLE TRIGGER "assignments_in_charge_needs_case_manager";--> statement-breakpoint

-- An assignment carries its case's created_at (which never changes), for "my cases" newest first. The
-- database copies it, so that no writer can forget it or get it wrong. A case that does not exist gives
-- -infinity here, and the foreign key then refuses the row with its usual error.
CREATE FUNCTION cartella_assignment_case_created_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.case_created_at := coalesce((SELECT c.created_at FROM cases c WHERE c.id = NEW.case_id), '-infinity');
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "assignments_case_created_at" BEFORE INSERT OR UPDATE OF case_id, case_created_at ON "assignments"
  FOR EACH ROW EXECUTE FUNCTION cartella_assignment_case_created_at();
--> statement-breakpoint
ALTER TABLE "assignments" ALTER COLUMN "case_created_at" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "assignments_staff_newest_case_idx" ON "assignments" USING btree ("staff_id","case_created_at","case_id","valid_from","valid_to");--> statement-breakpoint
CREATE INDEX "assignments_case_manager_idx" ON "assignments" USING btree ("case_id","valid_from","valid_to","staff_id") WHERE "assignments"."role" = 'case_manager';
