CREATE TABLE "case_flow_events" (
	"organisation_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"day" date NOT NULL,
	"opened" integer DEFAULT 0 NOT NULL,
	"taken_in_charge" integer DEFAULT 0 NOT NULL,
	"reopened" integer DEFAULT 0 NOT NULL,
	"closed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "case_flow_events_organisation_id_day_team_id_pk" PRIMARY KEY("organisation_id","day","team_id")
);
--> statement-breakpoint
CREATE TABLE "case_flow_intake_days" (
	"organisation_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"day" date NOT NULL,
	"days" integer NOT NULL,
	"cases" integer NOT NULL,
	CONSTRAINT "case_flow_intake_days_organisation_id_day_team_id_days_pk" PRIMARY KEY("organisation_id","day","team_id","days")
);
--> statement-breakpoint
ALTER TABLE "case_flow_events" ADD CONSTRAINT "case_flow_events_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_flow_events" ADD CONSTRAINT "case_flow_events_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_flow_intake_days" ADD CONSTRAINT "case_flow_intake_days_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_flow_intake_days" ADD CONSTRAINT "case_flow_intake_days_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_open_ended_idx" ON "assignments" USING btree ("organisation_id","case_id","staff_id","role","valid_from") WHERE "assignments"."valid_to" is null;--> statement-breakpoint
CREATE INDEX "assignments_ending_idx" ON "assignments" USING btree ("organisation_id","valid_to","case_id","staff_id","role","valid_from") WHERE "assignments"."valid_to" is not null;--> statement-breakpoint
CREATE INDEX "cases_active_idx" ON "cases" USING btree ("organisation_id","id","team_id","user_area","complexity","judicial_measure","status") WHERE "cases"."status" in ('open', 'in_charge');