import type { UserArea } from '../../shared/domain.js';
import { generateActivity } from './case-activity.js';
import { generateCitizen } from './citizen.js';
import { referralSources, userAreaWeights } from './italian-data.js';
import type { OrganisationContext, TeamContext, Worker } from './organisation.js';
import type { Random } from './random.js';
import type { Tables } from './tables.js';
import { DAY, drawTimeline, type WorkPeriod } from './timeline.js';

/**
 * One case and everything that hangs off it: its beneficiary, status history, assignments (case manager
 * from opening to closure, sometimes handed over; co-workers, educators, absence covers), then the diary,
 * assessments, plans and interventions (case-activity.ts).
 */
export interface CaseScope {
  rng: Random;
  org: OrganisationContext;
  asOf: number;
  fiscalCodes: Set<string>;
  t: Tables;
}

/** A stretch during which one worker held the case in some role. */
export interface Stint {
  staffId: string;
  role: 'case_manager' | 'co_worker' | 'educator';
  from: number;
  to: number | null;
}

const areas = Object.keys(userAreaWeights) as UserArea[];
const areaWeights = areas.map((a) => userAreaWeights[a]);
const siussAreaOf: Readonly<Record<UserArea, number>> = {
  family_minors: 1,
  disability: 2,
  elderly: 2,
  poverty_adults: 3,
  immigrants: 3,
  addiction: 3,
  multi_user: 3,
};
const iso = (ms: number) => new Date(ms).toISOString();

/** Picks a worker by load share; one who will still hold the case at `asOf` must be active today. */
function pickWorker(rng: Random, pool: Worker[], stillActive: boolean, exclude: ReadonlySet<string>): Worker | undefined {
  let total = 0;
  for (const w of pool) if ((!stillActive || w.active) && !exclude.has(w.id)) total += w.load;
  if (total <= 0) return undefined;
  let r = rng.next() * total;
  let chosen: Worker | undefined;
  for (const w of pool) {
    if ((stillActive && !w.active) || exclude.has(w.id)) continue;
    chosen = w;
    r -= w.load;
    if (r < 0) break;
  }
  return chosen;
}

function assignPeriod(rng: Random, team: TeamContext, area: UserArea, period: WorkPeriod, asOf: number, everyone: TeamContext[]): Stint[] {
  const stints: Stint[] = [];
  const onCase = new Set<string>();
  const end = period.to ?? asOf;
  const add = (pool: Worker[], role: Stint['role'], from: number, to: number | null) => {
    const worker = pickWorker(rng, pool, to === null || to > asOf, onCase);
    if (!worker) return;
    onCase.add(worker.id);
    stints.push({ staffId: worker.id, role, from, to });
  };

  // The case manager: named at opening; after a year, sometimes handed over to a colleague.
  if (period.to !== null || period.inCharge !== null || rng.chance(0.8)) {
    const handover = end - period.from > 365 * DAY && rng.chance(0.3) ? Math.floor(period.from + (0.2 + rng.next() * 0.6) * (end - period.from)) : null;
    add(team.socialWorkers, 'case_manager', period.from, handover ?? period.to);
    if (handover !== null && stints.length > 0) add(team.socialWorkers, 'case_manager', handover, period.to);
  }
  if (period.inCharge === null) return stints;
  const later = (minDays: number, maxDays: number) => {
    const at = period.inCharge! + rng.int(minDays, maxDays) * DAY + rng.int(0, 8 * 3_600_000);
    return at < end ? at : null;
  };
  if (rng.chance(0.12)) {
    const from = later(0, 60);
    if (from !== null) add(team.socialWorkers, 'co_worker', from, period.to);
  }
  if (rng.chance(area === 'family_minors' || area === 'disability' ? 0.35 : 0.05)) {
    const from = later(5, 90);
    const educators = team.educators.length > 0 ? team.educators : everyone.flatMap((t) => t.educators);
    if (from !== null) add(educators, 'educator', from, period.to);
  }
  if (period.to === null && period.inCharge < asOf - 30 * DAY && rng.chance(0.01)) {
    // An absence cover: it ends by itself on a future date.
    add(team.socialWorkers, 'co_worker', asOf - rng.int(1, 20) * DAY, asOf + rng.int(15, 60) * DAY);
  }
  return stints;
}

export function generateCase(s: CaseScope): void {
  const { rng, org, asOf, t } = s;
  const area = rng.weighted(areas, areaWeights);
  const team = org.teamOfArea.get(area)!;
  const timeline = drawTimeline(rng, area, asOf);
  const citizenId = generateCitizen(rng, org, area, timeline.referralDay, timeline.created, s.fiscalCodes, t);
  const caseId = rng.uuid();

  const stints = timeline.periods.flatMap((period) => assignPeriod(rng, team, area, period, asOf, org.teams));
  const managerAt = (at: number) =>
    stints.find((st) => st.role === 'case_manager' && st.from <= at && (st.to === null || at < st.to))?.staffId ?? team.coordinatorId;

  const last = timeline.events.at(-1)!;
  const lastInCharge = timeline.events.findLast((e) => e.to === 'in_charge');
  const complexity = rng.weighted([1, 2, 3], [45, 38, 17]);
  const judicial = rng.chance(area === 'family_minors' ? 0.25 : 0.03);
  t.cases.add(
    caseId, org.id, citizenId, team.id, area, siussAreaOf[area], rng.pick(referralSources), iso(timeline.referralDay).slice(0, 10),
    complexity, judicial, timeline.status, timeline.status === 'closed' ? last.closureReason : null,
    lastInCharge ? iso(lastInCharge.at) : null, timeline.status === 'closed' ? iso(last.at) : null,
    team.coordinatorId, iso(timeline.created), iso(last.at), timeline.events.length,
  );
  for (const event of timeline.events) {
    t.caseStatusChanges.add(rng.uuid(), caseId, event.from, event.to, event.closureReason, event.from === null ? team.coordinatorId : managerAt(event.at), iso(event.at));
  }
  for (const st of stints) {
    const ended = st.to !== null && st.to <= asOf;
    const reason = st.role === 'educator' ? 'Intervento educativo' : st.role === 'co_worker' ? (st.to !== null && st.to > asOf ? 'Sostituzione per assenza' : 'Affiancamento') : 'Presa in carico';
    const endReason = !ended ? null : timeline.periods.some((p) => p.to === st.to) ? 'Chiusura della cartella' : 'Passaggio di consegne';
    t.assignments.add(rng.uuid(), org.id, caseId, st.staffId, st.role, iso(st.from), st.to === null ? null : iso(st.to), reason, endReason, team.coordinatorId, iso(timeline.created), iso(st.from), iso(ended ? st.to! : st.from), ended ? 2 : 1);
  }
  generateActivity({ rng, org, asOf, t, caseId, area, periods: timeline.periods, stints, managerAt });
}
