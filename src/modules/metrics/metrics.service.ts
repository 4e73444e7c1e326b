import type { z } from 'zod';
import type { ServiceContext } from '../../platform/request-context.js';
import { userAreas } from '../../shared/domain.js';
import { forbidden, notFound } from '../../shared/errors.js';
import { groupOf, totalsOf, workerFigures, type CaseRow, type WorkerFigures } from './metrics.caseload.js';
import * as repository from './metrics.repository.js';
import type { caseloadQuery, flowQuery, staffingQuery } from './metrics.schemas.js';
import { metricScopeOf } from './metrics.scope.js';
import { staffingFigures } from './metrics.staffing.js';
import { quantileOfCounts, round2 } from './metrics.stats.js';

/**
 * Caseload, flow and staffing metrics (SPEC §8, METRICS.md), inside the caller's scope. Every figure
 * reflects every committed write: the caseload and the flow are summed from counts kept in the same
 * transaction as each change, the caseload corrected at read time for the assignments whose dates are
 * ahead. Elected officials see aggregates only: no per-worker rows, and no spread of a group smaller than
 * three workers.
 */
const smallestGroupForElected = 3;

export async function caseload(ctx: ServiceContext, query: z.infer<typeof caseloadQuery>) {
  if (query.groupBy === 'worker' && ctx.actor.role === 'elected_official') throw forbidden('metrics:read (per worker)');
  const scope = metricScopeOf(ctx.actor);
  const [settings, staff, loads, cases, teams] = await Promise.all([
    repository.caseloadSettings(ctx.db, scope.organisationId),
    repository.staffInScope(ctx.db, scope),
    repository.workerLoads(ctx.db, scope),
    repository.caseTotals(ctx.db, scope),
    query.groupBy === 'team' ? repository.teamsOf(ctx.db, scope.organisationId) : [],
  ]);
  if (!settings) throw notFound('organisation');
  const workers = workerFigures(staff, loads, settings.threshold);
  const minimumGroup = ctx.actor.role === 'elected_official' ? smallestGroupForElected : 1;
  const result = {
    groupBy: query.groupBy,
    scope: scope.kind,
    computedAt: new Date(),
    weights: settings.weights,
    threshold: settings.threshold,
    summary: { ...totalsOf(cases), ...groupOf(workers, minimumGroup) },
  };
  ctx.audit({ details: query.groupBy === 'worker' ? { groupBy: query.groupBy, returnedIds: workers.map((w) => w.staffId) } : { groupBy: query.groupBy } });
  switch (query.groupBy) {
    case 'worker':
      return { ...result, workers };
    case 'area':
      return { ...result, areas: userAreas.map((userArea) => ({ userArea, ...totalsOf(cases.filter((c) => c.userArea === userArea)) })) };
    case 'team': {
      // Every team of the organisation; a coordinator's own teams; for a worker, the teams of their cases.
      const shown = scope.kind === 'organisation' ? teams : teams.filter((t) => (scope.kind === 'teams' ? scope.teamIds.includes(t.id) : cases.some((c) => c.teamId === t.id)));
      return { ...result, teams: shown.map((team) => teamRow(team, cases, workers, minimumGroup)) };
    }
  }
}

function teamRow(team: { id: string; name: string }, cases: CaseRow[], workers: WorkerFigures[], minimumGroup: number) {
  return {
    teamId: team.id,
    name: team.name,
    ...totalsOf(cases.filter((c) => c.teamId === team.id)),
    ...groupOf(workers.filter((w) => w.teamIds.includes(team.id)), minimumGroup),
  };
}

export async function flow(ctx: ServiceContext, query: z.infer<typeof flowQuery>) {
  const scope = metricScopeOf(ctx.actor);
  const [facts, plansOverdue] = await Promise.all([repository.flowFacts(ctx.db, scope, query.from, query.to), repository.plansOverdue(ctx.db, scope)]);
  const days = (p: number) => {
    const value = quantileOfCounts(facts.intakeDays, p);
    return value === undefined ? null : round2(value);
  };
  return {
    from: query.from,
    to: query.to,
    scope: scope.kind,
    computedAt: new Date(),
    ...facts.counts,
    referralToInCharge: { cases: facts.counts.takenInCharge, medianDays: days(0.5), p90Days: days(0.9) },
    plansOverdue,
  };
}

/** An organisation-wide figure: for directors and elected officials (METRICS.md §Visibility). */
export async function staffing(ctx: ServiceContext, query: z.infer<typeof staffingQuery>) {
  const scope = metricScopeOf(ctx.actor);
  if (scope.kind !== 'organisation') throw forbidden('metrics:read (organisation-wide)');
  const year = query.year ?? Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Rome', year: 'numeric' }).format(new Date()));
  const facts = await repository.staffingFacts(ctx.db, scope.organisationId, year);
  return {
    year,
    residents: facts.residents,
    socialWorkers: { permanentHeadcount: facts.permanentHeadcount, permanentFte: facts.permanentFte, allContractsFte: facts.allContractsFte },
    ...staffingFigures(facts.residents, facts.permanentFte),
  };
}
