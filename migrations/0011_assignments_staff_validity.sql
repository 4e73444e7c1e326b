DROP INDEX "assignments_staff_case_idx";--> statement-breakpoint
CREATE INDEX "assignments_staff_case_idx" ON "assignments" USING btree ("staff_id","case_id","valid_from","valid_to");