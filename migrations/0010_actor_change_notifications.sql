-- Who a token's subject is (role, teams, organisation, active) is cached per instance for speed
-- (src/platform/actor-cache.ts). Any change to the rows it is read from tells every instance to drop its
-- cache, at commit, through NOTIFY: a deactivation or a role change still takes effect at once.
CREATE FUNCTION cartella_notify_actors_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cartella_actors_changed', TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "staff_actors_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "staff"
  FOR EACH STATEMENT EXECUTE FUNCTION cartella_notify_actors_changed();
--> statement-breakpoint
CREATE TRIGGER "staff_teams_actors_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "staff_teams"
  FOR EACH STATEMENT EXECUTE FUNCTION cartella_notify_actors_changed();
--> statement-breakpoint
CREATE TRIGGER "api_clients_actors_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "api_clients"
  FOR EACH STATEMENT EXECUTE FUNCTION cartella_notify_actors_changed();
--> statement-breakpoint
CREATE TRIGGER "api_client_organisations_actors_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "api_client_organisations"
  FOR EACH STATEMENT EXECUTE FUNCTION cartella_notify_actors_changed();
