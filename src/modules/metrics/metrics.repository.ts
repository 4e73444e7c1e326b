import { sql, type SQL } from 'drizzle-orm';
import type { CaseloadWeights } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import type { CaseRow, LoadRow, StaffRow } from './metrics.caseload.js';
import type { MetricScope } from './metrics.scope.js';

/**
 * The metrics' queries: aggregates over the live tables, computed at read time (METRICS.md §Live). Each
 * filters by the organisation and narrows to the caller's scope in SQL. The org-wide caseload reads the
 * active rows through partial indexes (migrations/…_metrics_indexes.sql), index-only.
 */
const teamList = (teamIds: string[]) => sql`${`{${teamIds.join(',')}}`}::uuid[]`;
const activeCaseStatuses = sql`('open', 'in_charge')`;
/** Day boundaries are those of the service's users: Italian local time. */
const localStart = (day: string) => sql`(${day}::date)::timestamp at time zone 'Europe/Rome'`;
const localEnd = (day: string) => sql`(${day}::date + 1)::timestamp at time zone 'Europe/Rome'`;
const localToday = sql`(now() at time zone 'Europe/Rome')::date`;

/** The weight of case `c` (METRICS.md §Weighted caseload). */
const caseWeight = (w: CaseloadWeights) => sql`(case c.complexity when 1 then ${w.complexity['1']}::numeric when 2 then ${w.complexity['2']}::numeric else ${w.complexity['3']}::numeric end
  + case when c.judicial_measure then ${w.judicialMeasure}::numeric else 0 end)`;

const staffCondition = (scope: MetricScope, column: SQL): SQL => {
  switch (scope.kind) {
    case 'organisation':
      return sql`true`;
    case 'teams':
      return sql`${column} in (select st.staff_id from staff_teams st where st.team_id = any(${teamList(scope.teamIds)}))`;
    case 'self':
      return sql`${column} = ${scope.staffId}`;
  }
};

/**
 * Assignment rows active now: valid_from ≤ now() < coalesce(valid_to, ∞). Two branches, so each reads its
 * own partial index: open-ended rows (the bulk), and the few with a future end (absence covers).
 */
const activeAssignments = (scope: MetricScope) => {
  const staff = staffCondition(scope, sql`a.staff_id`);
  return sql`(
    select a.staff_id, a.role, a.case_id from assignments a
    where a.organisation_id = ${scope.organisationId} and a.valid_to is null and a.valid_from <= now() and ${staff}
    union all
    select a.staff_id, a.role, a.case_id from assignments a
    where a.organisation_id = ${scope.organisationId} and a.valid_to > now() and a.valid_from <= now() and ${staff})`;
};

/** Cases in scope for the caseload: the teams' cases, or those the worker holds now. */
const caseloadCases = (scope: MetricScope): SQL => {
  switch (scope.kind) {
    case 'organisation':
      return sql`true`;
    case 'teams':
      return sql`c.team_id = any(${teamList(scope.teamIds)})`;
    case 'self':
      return sql`c.id in (select a.case_id from ${activeAssignments(scope)} a)`;
  }
};

/** Cases in scope for the flow: the teams' cases, or those the worker holds or held at any time. */
const flowCases = (scope: MetricScope): SQL => {
  switch (scope.kind) {
    case 'organisation':
      return sql`true`;
    case 'teams':
      return sql`c.team_id = any(${teamList(scope.teamIds)})`;
    case 'self':
      return sql`c.id in (select a.case_id from assignments a where a.staff_id = ${scope.staffId} and a.organisation_id = ${scope.organisationId} and a.valid_from <= now())`;
  }
};

export async function caseloadSettings(db: DbHandle, organisationId: string) {
  const { rows } = await db.execute<{ weights: CaseloadWeights; threshold: number }>(
    sql`select caseload_weights as weights, caseload_threshold::float8 as threshold from organisations where id = ${organisationId}`,
  );
  return rows[0];
}

export async function teamsOf(db: DbHandle, organisationId: string) {
  const { rows } = await db.execute<{ id: string; name: string }>(sql`select id, name from teams where organisation_id = ${organisationId} order by name, id`);
  return rows;
}

/** Active staff who may carry cases, in scope (workers.ts decides who counts as a worker). */
export async function staffInScope(db: DbHandle, scope: MetricScope) {
  const { rows } = await db.execute<StaffRow>(sql`
    select s.id, s.given_name as "givenName", s.family_name as "familyName", s.role, s.fte::float8 as fte,
      array(select st.team_id from staff_teams st where st.staff_id = s.id order by st.team_id) as "teamIds"
    from staff s
    where s.organisation_id = ${scope.organisationId} and s.active
      and s.role in ('social_worker', 'educator', 'coordinator', 'director') and ${staffCondition(scope, sql`s.id`)}
    order by s.family_name, s.given_name, s.id`);
  return rows;
}

/** Per worker, role and user area: active cases held now and their weight. */
export async function workerLoads(db: DbHandle, scope: MetricScope, weights: CaseloadWeights) {
  const { rows } = await db.execute<LoadRow>(sql`
    select a.staff_id as "staffId", a.role, c.user_area as "userArea", count(*)::int as cases, sum(${caseWeight(weights)})::float8 as weighted
    from ${activeAssignments(scope)} a join cases c on c.id = a.case_id
    where c.organisation_id = ${scope.organisationId} and c.status in ${activeCaseStatuses}
    group by 1, 2, 3`);
  return rows;
}

/** Per team, user area and status: active cases in scope, their weight and judicial measures. */
export async function caseTotals(db: DbHandle, scope: MetricScope, weights: CaseloadWeights) {
  const { rows } = await db.execute<CaseRow>(sql`
    select c.team_id as "teamId", c.user_area as "userArea", c.status, count(*)::int as cases,
      sum(${caseWeight(weights)})::float8 as weighted, (count(*) filter (where c.judicial_measure))::int as judicial
    from cases c
    where c.organisation_id = ${scope.organisationId} and c.status in ${activeCaseStatuses} and ${caseloadCases(scope)}
    group by 1, 2, 3`);
  return rows;
}

export async function casesOpened(db: DbHandle, scope: MetricScope, from: string, to: string): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from cases c
    where c.organisation_id = ${scope.organisationId} and c.created_at >= ${localStart(from)} and c.created_at < ${localEnd(to)}
      and ${flowCases(scope)}`);
  return rows[0]!.n;
}

export type TransitionCounts = {
  takenInCharge: number;
  reopened: number;
  closed: number;
  medianDays: number | null;
  p90Days: number | null;
};

/**
 * Status changes in the period. "Taken in charge" is the first time (from referred or open); from closed it
 * is a reopening. Days from referral use the local date of the change; percentile_cont interpolates
 * linearly, as metrics.stats.ts does.
 */
export async function transitions(db: DbHandle, scope: MetricScope, from: string, to: string) {
  const firstInCharge = sql`s.to_status = 'in_charge' and s.from_status is distinct from 'closed'`;
  const days = sql`((s.changed_at at time zone 'Europe/Rome')::date - c.referral_date)`;
  const { rows } = await db.execute<TransitionCounts>(sql`
    select (count(*) filter (where ${firstInCharge}))::int as "takenInCharge",
      (count(*) filter (where s.to_status = 'in_charge' and s.from_status = 'closed'))::int as reopened,
      (count(*) filter (where s.to_status = 'closed'))::int as closed,
      percentile_cont(0.5) within group (order by ${days}) filter (where ${firstInCharge}) as "medianDays",
      percentile_cont(0.9) within group (order by ${days}) filter (where ${firstInCharge}) as "p90Days"
    from case_status_changes s join cases c on c.id = s.case_id
    where s.changed_at >= ${localStart(from)} and s.changed_at < ${localEnd(to)} and s.to_status in ('in_charge', 'closed')
      and c.organisation_id = ${scope.organisationId} and ${flowCases(scope)}`);
  return rows[0]!;
}

/** Active plans whose review date has passed (a snapshot of today, not of the period). */
export async function plansOverdue(db: DbHandle, scope: MetricScope): Promise<number> {
  const cases = scope.kind === 'organisation' ? sql`` : sql`join cases c on c.id = p.case_id and c.organisation_id = ${scope.organisationId} and ${flowCases(scope)}`;
  const { rows } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from plans p ${cases}
    where p.organisation_id = ${scope.organisationId} and p.status = 'active' and p.review_due_date < ${localToday}`);
  return rows[0]!.n;
}

/** Residents of the year, and today's active social workers (by profile) with their FTE. */
export async function staffingFacts(db: DbHandle, organisationId: string, year: number) {
  const { rows } = await db.execute<{ residents: number | null; permanentFte: number; permanentHeadcount: number; allContractsFte: number }>(sql`
    select (select p.residents from organisation_populations p where p.organisation_id = ${organisationId} and p.year = ${year}) as residents,
      coalesce(sum(s.fte) filter (where s.contract = 'permanent'), 0)::float8 as "permanentFte",
      (count(*) filter (where s.contract = 'permanent'))::int as "permanentHeadcount",
      coalesce(sum(s.fte), 0)::float8 as "allContractsFte"
    from staff s
    where s.organisation_id = ${organisationId} and s.active and s.profile = 'social_worker'`);
  return rows[0]!;
}
