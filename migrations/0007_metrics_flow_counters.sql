-- Flow counters for the caseload metrics (src/modules/metrics/METRICS.md): every case created and every
-- status change to in_charge or closed adds one to its organisation's, team's and local day's counters, in
-- the same transaction, so a flow read right after a commit reflects it. Events are never changed or
-- removed, so the counters never need a refresh. The team is the case's team when the event happens.

CREATE FUNCTION cartella_count_case_opened() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_flow_events (organisation_id, team_id, day, opened)
  VALUES (NEW.organisation_id, NEW.team_id, (NEW.created_at AT TIME ZONE 'Europe/Rome')::date, 1)
  ON CONFLICT (organisation_id, day, team_id) DO UPDATE SET opened = case_flow_events.opened + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "cases_count_opened" AFTER INSERT ON "cases"
  FOR EACH ROW EXECUTE FUNCTION cartella_count_case_opened();
--> statement-breakpoint

-- A first taking in charge (from anything but closed) also records the days since the referral, for the
-- median; from closed it is a reopening.
CREATE FUNCTION cartella_count_case_transition() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  local_day date := (NEW.changed_at AT TIME ZONE 'Europe/Rome')::date;
  first_in_charge boolean := NEW.to_status = 'in_charge' AND NEW.from_status IS DISTINCT FROM 'closed';
  org uuid;
  team uuid;
  referral date;
BEGIN
  IF NEW.to_status NOT IN ('in_charge', 'closed') THEN RETURN NULL; END IF;
  SELECT c.organisation_id, c.team_id, c.referral_date INTO org, team, referral FROM cases c WHERE c.id = NEW.case_id;
  INSERT INTO case_flow_events (organisation_id, team_id, day, taken_in_charge, reopened, closed)
  VALUES (org, team, local_day, first_in_charge::int, (NEW.to_status = 'in_charge' AND NOT first_in_charge)::int, (NEW.to_status = 'closed')::int)
  ON CONFLICT (organisation_id, day, team_id) DO UPDATE SET
    taken_in_charge = case_flow_events.taken_in_charge + EXCLUDED.taken_in_charge,
    reopened = case_flow_events.reopened + EXCLUDED.reopened,
    closed = case_flow_events.closed + EXCLUDED.closed;
  IF first_in_charge THEN
    INSERT INTO case_flow_intake_days (organisation_id, team_id, day, days, cases)
    VALUES (org, team, local_day, local_day - referral, 1)
    ON CONFLICT (organisation_id, day, team_id, days) DO UPDATE SET cases = case_flow_intake_days.cases + 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "case_status_changes_count_flow" AFTER INSERT ON "case_status_changes"
  FOR EACH ROW EXECUTE FUNCTION cartella_count_case_transition();
--> statement-breakpoint

-- Recomputes every counter from the record (with each case's current team): run once here for the data
-- already recorded, and by the synthetic-data loader, which loads with triggers off.
CREATE FUNCTION cartella_rebuild_case_flow() RETURNS void LANGUAGE sql AS $$
  DELETE FROM case_flow_intake_days;
  DELETE FROM case_flow_events;
  INSERT INTO case_flow_events (organisation_id, team_id, day, opened, taken_in_charge, reopened, closed)
  SELECT organisation_id, team_id, day, sum(opened), sum(taken_in_charge), sum(reopened), sum(closed)
  FROM (
    SELECT c.organisation_id, c.team_id, (c.created_at AT TIME ZONE 'Europe/Rome')::date AS day,
      1 AS opened, 0 AS taken_in_charge, 0 AS reopened, 0 AS closed
    FROM cases c
    UNION ALL
    SELECT c.organisation_id, c.team_id, (s.changed_at AT TIME ZONE 'Europe/Rome')::date,
      0,
      (s.to_status = 'in_charge' AND s.from_status IS DISTINCT FROM 'closed')::int,
      (s.to_status = 'in_charge' AND s.from_status = 'closed')::int,
      (s.to_status = 'closed')::int
    FROM case_status_changes s JOIN cases c ON c.id = s.case_id
    WHERE s.to_status IN ('in_charge', 'closed')
  ) events
  GROUP BY organisation_id, team_id, day;
  INSERT INTO case_flow_intake_days (organisation_id, team_id, day, days, cases)
  SELECT c.organisation_id, c.team_id, (s.changed_at AT TIME ZONE 'Europe/Rome')::date AS day,
    (s.changed_at AT TIME ZONE 'Europe/Rome')::date - c.referral_date AS days, count(*)
  FROM case_status_changes s JOIN cases c ON c.id = s.case_id
  WHERE s.to_status = 'in_charge' AND s.from_status IS DISTINCT FROM 'closed'
  GROUP BY 1, 2, 3, 4;
$$;
--> statement-breakpoint
SELECT cartella_rebuild_case_flow();
