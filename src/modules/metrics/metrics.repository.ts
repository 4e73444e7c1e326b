import { sql, type SQL } from 'drizzle-orm';
import type { CaseloadWeights } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import type { CaseRow, LoadRow, StaffRow } from './metrics.caseload.js';
import type { MetricScope } from './metrics.scope.js';

/**
 * The metrics' queries, each filtered by the organisation and narrowed to the caller's scope in SQL
 * (METRICS.md). The caseload of an organisation or teams sums the counts kept by triggers (migrations/0009),
 * corrected live for the assignments whose dates are still ahead; their flow sums the counters of
 * migrations/0007. A single worker's cases and flow are few enough to count live.
 */
const teamList = (teamIds: string[]) => sql`${`{${teamIds.join(',')}}`}::uuid[]`;
const activeCaseStatuses = sql`('open', 'in_charge')`;
/** Day boundaries are those of the service's users: Italian local time. */
const localToday = sql`(now() at time zone 'Europe/Rome')::date`;

/**
 * The organisation's caseload weights as four numbers `w`, read inside each query, so that no query waits for
 * another to know them (`offset 0` keeps them computed once, not once per row); and the weight of case `c`
 * (METRICS.md), summed as float8 — results are rounded to two decimals anyway.
 */
const weightsOf = (organisationId: string) => sql`(
  select (caseload_weights->'complexity'->>'1')::float8 as w1, (caseload_weights->'complexity'->>'2')::float8 as w2,
    (caseload_weights->'complexity'->>'3')::float8 as w3, (caseload_weights->>'judicialMeasure')::float8 as wj
  from organisations where id = ${organisationId} offset 0) w`;
const caseWeight = sql`(case c.complexity when 1 then w.w1 when 2 then w.w2 else w.w3 end + case when c.judicial_measure then w.wj else 0 end)`;

/** Cases in scope for the caseload and overdue plans: the teams' cases, or those the worker holds now. */
const caseloadCases = (scope: MetricScope): SQL => {
  switch (scope.kind) {
    case 'organisation':
      return sql`true`;
    case 'teams':
      return sql`c.team_id = any(${teamList(scope.teamIds)})`;
    case 'self':
      return sql`c.id in (select a.case_id from assignments a where a.staff_id = ${scope.staffId} and a.organisation_id = ${scope.organisationId}
        and a.valid_from <= now() and (a.valid_to is null or a.valid_to > now()))`;
  }
};

/** Staff in scope: everyone of the organisation, the members of the coordinator's teams, or oneself. */
const staffInScopeCondition = (scope: MetricScope, staffId: SQL): SQL => {
  switch (scope.kind) {
    case 'organisation':
      return sql`true`;
    case 'teams':
      return sql`${staffId} in (select st.staff_id from staff_teams st where st.team_id = any(${teamList(scope.teamIds)}))`;
    case 'self':
      return sql`${staffId} = ${scope.staffId}`;
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

/** Active staff who may carry cases, in scope (metrics.caseload.ts decides who counts as a worker). */
export async function staffInScope(db: DbHandle, scope: MetricScope) {
  const { rows } = await db.execute<StaffRow>(sql`
    select s.id, s.given_name as "givenName", s.family_name as "familyName", s.role, s.fte::float8 as fte,
      array(select st.team_id from staff_teams st where st.staff_id = s.id order by st.team_id) as "teamIds"
    from staff s
    where s.organisation_id = ${scope.organisationId} and s.active
      and s.role in ('social_worker', 'educator', 'coordinator', 'director') and ${staffInScopeCondition(scope, sql`s.id`)}
    order by s.family_name, s.given_name, s.id`);
  return rows;
}

/**
 * A key's counted rows `k` (cases by complexity, and with a judicial measure) summed, in `n`; `weighed`
 * turns the sums into cases and their weight with the current weights. Keys whose cases all ended sum to 0.
 */
const countSums = sql`sum(k.complexity_1) as c1, sum(k.complexity_2) as c2, sum(k.complexity_3) as c3, sum(k.judicial) as j`;
const counted = sql`sum(k.complexity_1 + k.complexity_2 + k.complexity_3) <> 0`;
const weighed = sql`(n.c1 + n.c2 + n.c3)::int as cases, n.c1 * w.w1 + n.c2 * w.w2 + n.c3 * w.w3 + n.j * w.wj as weighted`;
const oneCase = (sign: SQL) => sql`(c.complexity = 1)::int * ${sign} as complexity_1, (c.complexity = 2)::int * ${sign} as complexity_2,
  (c.complexity = 3)::int * ${sign} as complexity_3, c.judicial_measure::int * ${sign} as judicial`;

/**
 * Per worker, role and user area: active cases held now and their weight, for the workers in scope. The
 * trigger-kept counts hold the open-ended assignments on active cases; in the same snapshot, the assignments
 * whose validity boundary is still ahead correct them — open-ended rows not started yet are taken out, rows
 * with an end date in the future (absence covers, planned handovers) are added — so an assignment starts and
 * stops counting when its dates pass, with no write. Both corrections are range reads of an index ordered by
 * that boundary: only the few future rows, looked up in the active cases one by one (`offset 0` keeps the
 * planner from scanning every active case instead).
 */
export async function workerLoads(db: DbHandle, scope: MetricScope) {
  const org = scope.organisationId;
  const inScope = (staffId: SQL) => staffInScopeCondition(scope, staffId);
  const { rows } = await db.execute<LoadRow>(sql`
    with k as (
      select k.staff_id, k.role, k.user_area, k.complexity_1, k.complexity_2, k.complexity_3, k.judicial
      from caseload_worker_counts k where k.organisation_id = ${org} and ${inScope(sql`k.staff_id`)}
      union all
      select a.staff_id, a.role, c.user_area, ${oneCase(sql`a.sign`)}
      from (
        select a.staff_id, a.role, a.case_id, -1 as sign from assignments a
        where a.organisation_id = ${org} and a.valid_to is null and a.valid_from > now() and ${inScope(sql`a.staff_id`)}
        union all
        select a.staff_id, a.role, a.case_id, 1 from assignments a
        where a.organisation_id = ${org} and a.valid_to > now() and a.valid_from <= now() and ${inScope(sql`a.staff_id`)}
      ) a cross join lateral (
        select c.user_area, c.complexity, c.judicial_measure from cases c
        where c.organisation_id = ${org} and c.id = a.case_id and c.status in ${activeCaseStatuses} offset 0) c
    )
    select n.staff_id as "staffId", n.role, n.user_area as "userArea", ${weighed}
    from (select k.staff_id, k.role, k.user_area, ${countSums} from k group by 1, 2, 3 having ${counted}) n cross join ${weightsOf(org)}`);
  return rows;
}

/**
 * Per team, user area and status: active cases in scope, their weight and judicial measures. An
 * organisation's or teams' totals are the trigger-kept counts (a case's status does not change by itself);
 * a worker's, the few cases they hold now, counted live.
 */
export async function caseTotals(db: DbHandle, scope: MetricScope) {
  if (scope.kind === 'self') return heldCaseTotals(db, scope);
  const teams = scope.kind === 'teams' ? sql`and k.team_id = any(${teamList(scope.teamIds)})` : sql``;
  const { rows } = await db.execute<CaseRow>(sql`
    select n.team_id as "teamId", n.user_area as "userArea", n.status, ${weighed}, n.j::int as judicial
    from (
      select k.team_id, k.user_area, k.status, ${countSums} from caseload_case_counts k
      where k.organisation_id = ${scope.organisationId} ${teams} group by 1, 2, 3 having ${counted}) n
    cross join ${weightsOf(scope.organisationId)}`);
  return rows;
}

async function heldCaseTotals(db: DbHandle, scope: Extract<MetricScope, { kind: 'self' }>) {
  const { rows } = await db.execute<CaseRow>(sql`
    select c.team_id as "teamId", c.user_area as "userArea", c.status, count(*)::int as cases,
      sum(${caseWeight}) as weighted, (count(*) filter (where c.judicial_measure))::int as judicial
    from cases c cross join ${weightsOf(scope.organisationId)}
    where c.organisation_id = ${scope.organisationId} and c.status in ${activeCaseStatuses} and ${caseloadCases(scope)}
    group by 1, 2, 3`);
  return rows;
}

export type FlowCounts = {
  opened: number;
  takenInCharge: number;
  reopened: number;
  closed: number;
};

export interface FlowFacts {
  counts: FlowCounts;
  /** Days from referral of the cases first taken in charge in the period, as a histogram, ascending. */
  intakeDays: { value: number; count: number }[];
}

const localDay = (column: SQL) => sql`(${column} at time zone 'Europe/Rome')::date`;
const firstInCharge = sql`s.to_status = 'in_charge' and s.from_status is distinct from 'closed'`;

/** An organisation's or teams' flow: sums of the counters (one row per team and day). */
async function countedFlow(db: DbHandle, scope: Exclude<MetricScope, { kind: 'self' }>, from: string, to: string): Promise<FlowFacts> {
  const teams = scope.kind === 'teams' ? sql`and team_id = any(${teamList(scope.teamIds)})` : sql``;
  const period = sql`organisation_id = ${scope.organisationId} and day between ${from}::date and ${to}::date ${teams}`;
  const [{ rows: counts }, { rows: intakeDays }] = await Promise.all([
    db.execute<FlowCounts>(sql`
      select coalesce(sum(opened), 0)::int as opened, coalesce(sum(taken_in_charge), 0)::int as "takenInCharge",
        coalesce(sum(reopened), 0)::int as reopened, coalesce(sum(closed), 0)::int as closed
      from case_flow_events where ${period}`),
    db.execute<{ value: number; count: number }>(sql`
      select days as value, sum(cases)::int as count from case_flow_intake_days where ${period} group by days order by days`),
  ]);
  return { counts: counts[0]!, intakeDays };
}

/**
 * One worker's flow, counted live over the cases they hold or held (a few hundred, a thousand for a long
 * career): one pass, as rows of (event, days from referral, count) that the caller adds up.
 */
async function workerFlow(db: DbHandle, scope: Extract<MetricScope, { kind: 'self' }>, from: string, to: string): Promise<FlowFacts> {
  const start = sql`(${from}::date)::timestamp at time zone 'Europe/Rome'`;
  const end = sql`(${to}::date + 1)::timestamp at time zone 'Europe/Rome'`;
  const { rows } = await db.execute<{ event: keyof FlowCounts; days: number | null; count: number }>(sql`
    with mine as (
      select c.id, c.created_at, c.referral_date from cases c
      where c.organisation_id = ${scope.organisationId} and c.id in (
        select a.case_id from assignments a where a.staff_id = ${scope.staffId} and a.organisation_id = ${scope.organisationId} and a.valid_from <= now()))
    select 'opened' as event, null::int as days, count(*)::int as count from mine where mine.created_at >= ${start} and mine.created_at < ${end}
    union all
    select case when s.to_status = 'closed' then 'closed' when ${firstInCharge} then 'takenInCharge' else 'reopened' end,
      case when ${firstInCharge} then ${localDay(sql`s.changed_at`)} - mine.referral_date end, count(*)::int
    from mine join case_status_changes s on s.case_id = mine.id
    where s.changed_at >= ${start} and s.changed_at < ${end} and s.to_status in ('in_charge', 'closed')
    group by 1, 2`);
  const counts: FlowCounts = { opened: 0, takenInCharge: 0, reopened: 0, closed: 0 };
  for (const row of rows) counts[row.event] += row.count;
  const intakeDays = rows
    .filter((row) => row.event === 'takenInCharge')
    .map((row) => ({ value: row.days!, count: row.count }))
    .sort((a, b) => a.value - b.value);
  return { counts, intakeDays };
}

/** Cases opened, taken in charge, reopened and closed on the local days from..to, both included. */
export function flowFacts(db: DbHandle, scope: MetricScope, from: string, to: string): Promise<FlowFacts> {
  return scope.kind === 'self' ? workerFlow(db, scope, from, to) : countedFlow(db, scope, from, to);
}

/**
 * Active plans of active cases whose review date has passed (a snapshot of today, not of the period); both
 * sides are read index-only in case order and merged.
 */
export async function plansOverdue(db: DbHandle, scope: MetricScope): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from plans p join cases c on c.organisation_id = p.organisation_id and c.id = p.case_id
    where p.organisation_id = ${scope.organisationId} and p.status = 'active' and p.review_due_date < ${localToday}
      and c.status in ${activeCaseStatuses} and ${caseloadCases(scope)}`);
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
