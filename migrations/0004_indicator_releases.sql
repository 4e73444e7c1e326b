CREATE TABLE "indicator_extracts" (
	"organisation_id" uuid NOT NULL,
	"indicator" text NOT NULL,
	"month" char(7) NOT NULL,
	"cells" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_extracts_organisation_id_indicator_month_pk" PRIMARY KEY("organisation_id","indicator","month"),
	CONSTRAINT "indicator_extract_indicator" CHECK ("indicator_extracts"."indicator" in ('cases', 'interventions')),
	CONSTRAINT "indicator_extract_month" CHECK ("indicator_extracts"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
CREATE TABLE "indicator_releases" (
	"organisation_id" uuid NOT NULL,
	"indicator" text NOT NULL,
	"year" smallint NOT NULL,
	"through_month" smallint NOT NULL,
	"dimensions" text NOT NULL,
	"k" smallint NOT NULL,
	"master" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_releases_organisation_id_indicator_year_through_month_dimensions_pk" PRIMARY KEY("organisation_id","indicator","year","through_month","dimensions"),
	CONSTRAINT "indicator_release_indicator" CHECK ("indicator_releases"."indicator" in ('cases', 'interventions')),
	CONSTRAINT "indicator_release_through_month" CHECK ("indicator_releases"."through_month" between 1 and 12),
	CONSTRAINT "indicator_release_k" CHECK ("indicator_releases"."k" >= 3)
);
--> statement-breakpoint
ALTER TABLE "indicator_extracts" ADD CONSTRAINT "indicator_extracts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_releases" ADD CONSTRAINT "indicator_releases_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_organisation_referral_idx" ON "cases" USING btree ("organisation_id","referral_date");--> statement-breakpoint
CREATE INDEX "interventions_organisation_start_idx" ON "interventions" USING btree ("organisation_id","actual_start");