CREATE TABLE "siuss_flow_counters" (
	"organisation_id" uuid NOT NULL,
	"day" date NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "siuss_flow_counters_organisation_id_day_pk" PRIMARY KEY("organisation_id","day")
);
--> statement-breakpoint
CREATE TABLE "siuss_flows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"intervention_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"flow_id" text,
	"ts_flusso" bigint,
	"document" text,
	"problems" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "siuss_flow_kind" CHECK ("siuss_flows"."kind" in ('PS_PSA_SINA', 'SINBA')),
	CONSTRAINT "siuss_flow_published_together" CHECK (("siuss_flows"."flow_id" is null) = ("siuss_flows"."ts_flusso" is null) and ("siuss_flows"."flow_id" is null) = ("siuss_flows"."document" is null))
);
--> statement-breakpoint
CREATE TABLE "siuss_outcomes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"siuss_flow_id" uuid,
	"intervention_id" uuid,
	"flow_id" text NOT NULL,
	"kind" text NOT NULL,
	"ts_flusso" bigint NOT NULL,
	"acquired_at" timestamp (3) with time zone NOT NULL,
	"code" text NOT NULL,
	"description" text,
	"siuss_acquisition_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "siuss_outcome_code" CHECK ("siuss_outcomes"."code" in ('OK', 'DATI_NON_TROVATI', 'RICHIESTA_INVALIDA', 'ERRORE_GENERICO'))
);
--> statement-breakpoint
CREATE TABLE "siuss_settings" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"operator_tax_code" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "siuss_flow_counters" ADD CONSTRAINT "siuss_flow_counters_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "siuss_flows" ADD CONSTRAINT "siuss_flows_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "siuss_flows" ADD CONSTRAINT "siuss_flows_intervention_id_interventions_id_fk" FOREIGN KEY ("intervention_id") REFERENCES "public"."interventions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "siuss_outcomes" ADD CONSTRAINT "siuss_outcomes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "siuss_outcomes" ADD CONSTRAINT "siuss_outcomes_siuss_flow_id_siuss_flows_id_fk" FOREIGN KEY ("siuss_flow_id") REFERENCES "public"."siuss_flows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "siuss_outcomes" ADD CONSTRAINT "siuss_outcomes_intervention_id_interventions_id_fk" FOREIGN KEY ("intervention_id") REFERENCES "public"."interventions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "siuss_settings" ADD CONSTRAINT "siuss_settings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "siuss_settings" ADD CONSTRAINT "siuss_settings_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "siuss_flows_intervention_kind_uq" ON "siuss_flows" USING btree ("intervention_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "siuss_flows_flow_id_uq" ON "siuss_flows" USING btree ("organisation_id","flow_id");--> statement-breakpoint
CREATE UNIQUE INDEX "siuss_flows_ts_uq" ON "siuss_flows" USING btree ("organisation_id","ts_flusso");--> statement-breakpoint
CREATE INDEX "siuss_flows_organisation_created_idx" ON "siuss_flows" USING btree ("organisation_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "siuss_outcomes_uq" ON "siuss_outcomes" USING btree ("organisation_id","flow_id","ts_flusso","acquired_at","code");--> statement-breakpoint
CREATE INDEX "siuss_outcomes_flow_idx" ON "siuss_outcomes" USING btree ("siuss_flow_id","ts_flusso");--> statement-breakpoint
CREATE INDEX "siuss_outcomes_intervention_idx" ON "siuss_outcomes" USING btree ("intervention_id");