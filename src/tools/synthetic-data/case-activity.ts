import type { UserArea } from '../../shared/domain.js';
import type { Stint } from './case.js';
import { assessmentInstruments, noteBodies, noteClosings, noteOpenings, planGoals } from './italian-data.js';
import type { OrganisationContext } from './organisation.js';
import type { Random } from './random.js';
import type { Tables } from './tables.js';
import { DAY, type WorkPeriod } from './timeline.js';

/**
 * The work recorded on a case during its periods of work: diary notes (some corrected by a second version),
 * an assessment per period, individual plans reviewed over time, and interventions with their status
 * histories. Nothing is dated after `asOf`; everything of a closed period ends by its closure.
 */
export interface ActivityScope {
  rng: Random;
  org: OrganisationContext;
  asOf: number;
  t: Tables;
  caseId: string;
  area: UserArea;
  periods: WorkPeriod[];
  stints: Stint[];
  managerAt(at: number): string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);
const noteKinds = ['interview', 'home_visit', 'phone_call', 'team_meeting', 'report', 'other'] as const;
const noteKindWeights = [35, 20, 25, 10, 7, 3];
const providers = ['Cooperativa sociale Il Girasole', 'Cooperativa sociale La Rete', 'Fondazione Casa Amica', 'Servizio comunale', 'Cooperativa sociale Arcobaleno'];
const cents = (value: number) => (value / 100).toFixed(2);

function notes(a: ActivityScope, period: WorkPeriod, end: number): void {
  const { rng, t } = a;
  const count = Math.min(40, 1 + Math.floor((rng.next() * 2 * (end - period.from)) / (140 * DAY)));
  for (let i = 0; i < count; i++) {
    const at = Math.floor(period.from + rng.next() * (end - period.from));
    const educator = a.stints.find((st) => st.role === 'educator' && st.from <= at && (st.to === null || at < st.to));
    const authorId = educator && rng.chance(0.3) ? educator.staffId : a.managerAt(at);
    const kind = rng.weighted(noteKinds, noteKindWeights);
    // Restricted notes are written by social workers only (educators cannot read them).
    const confidentiality = authorId !== educator?.staffId && rng.chance(0.08) ? 'restricted' : 'team';
    const written = Math.min(at + rng.int(0, 72) * 3_600_000, a.asOf - 60_000);
    const corrected = rng.chance(0.06) ? Math.min(written + rng.int(1, 10) * DAY, a.asOf - 1000) : null;
    const noteId = rng.uuid();
    const text = `${noteOpenings[kind]}: ${rng.pick(noteBodies)}. ${rng.pick(noteClosings)}`;
    t.notes.add(noteId, a.org.id, a.caseId, kind, iso(at), authorId, confidentiality, corrected && corrected > written ? 2 : 1, iso(written));
    t.noteVersions.add(noteId, 1, text, null, authorId, iso(written));
    if (corrected && corrected > written) t.noteVersions.add(noteId, 2, `${text} Integrazione: ${rng.pick(noteBodies)}.`, 'Correzione di un refuso', authorId, iso(corrected));
  }
}

function assessment(a: ActivityScope, period: WorkPeriod, end: number, first: boolean): void {
  const at = period.from + a.rng.int(3, 30) * DAY;
  if (at >= end) return;
  a.t.assessments.add(a.rng.uuid(), a.org.id, a.caseId, day(at), assessmentInstruments[a.area], 'servizio sociale professionale', first ? 'Valutazione iniziale del bisogno' : 'Rivalutazione alla riapertura', a.managerAt(at), iso(at));
}

/** Plans follow each other about every ten months; the last one of a running period is the active one. */
function plans(a: ActivityScope, period: WorkPeriod, end: number): void {
  const { rng, t } = a;
  const first = period.inCharge! + rng.int(7, 45) * DAY;
  if (first >= end) return;
  const count = Math.min(5, 1 + Math.floor((end - first) / (300 * DAY)));
  for (let j = 0; j < count; j++) {
    const start = first + j * 300 * DAY;
    const isLast = j === count - 1;
    const status = !isLast || period.to !== null ? (isLast && rng.chance(0.05) ? 'cancelled' : 'completed') : 'active';
    const goals = [rng.pick(planGoals), rng.pick(planGoals)].filter((g, k, all) => all.indexOf(g) === k);
    const changed = isLast ? (period.to ?? start) : start + 300 * DAY;
    const responsible = a.managerAt(start);
    t.plans.add(rng.uuid(), a.org.id, a.caseId, JSON.stringify(goals), day(start), day(start + 180 * DAY), responsible, status, responsible, iso(start), iso(changed), changed > start ? 2 : 1);
  }
}

interface InterventionEvent {
  at: number;
  to: 'requested' | 'waitlisted' | 'active' | 'suspended' | 'ended';
}

function interventions(a: ActivityScope, period: WorkPeriod, end: number): void {
  const { rng, t } = a;
  const services = a.org.servicesByArea.get(a.area) ?? [];
  const count = rng.weighted([0, 1, 2, 3, 4], [25, 35, 22, 12, 6]);
  for (let i = 0; i < count && services.length > 0; i++) {
    const { id: serviceId, template } = rng.pick(services);
    const requested = Math.floor(period.inCharge! + rng.next() * 0.7 * (end - period.inCharge!));
    const activation = requested + Math.floor(rng.logNormal(20, 0.7) * DAY);
    // A closed case's interventions ended at the latest with it; one never started is simply not recorded.
    if (period.to !== null && activation >= period.to) continue;
    const planned: InterventionEvent[] = [{ at: requested, to: 'requested' }];
    if (rng.chance(0.2)) planned.push({ at: requested + rng.int(1, 5) * DAY, to: 'waitlisted' });
    planned.push({ at: activation, to: 'active' });
    let stop = activation + Math.floor((template.periodic ? rng.logNormal(240, 0.8) : rng.int(1, 30)) * DAY);
    if (template.periodic && rng.chance(0.1)) {
      const suspended = activation + Math.floor((stop - activation) * 0.5);
      planned.push({ at: suspended, to: 'suspended' }, { at: suspended + rng.int(30, 90) * DAY, to: 'active' });
      stop += 90 * DAY;
    }
    if (period.to !== null) stop = Math.min(stop, period.to);
    const events = [...planned.filter((e) => e.at < stop), { at: stop, to: 'ended' as const }].filter((e) => e.at < a.asOf);
    const status = events.at(-1)!.to;

    const monthly = template.monthlyAmount ? rng.int(template.monthlyAmount[0] * 100, template.monthlyAmount[1] * 100) : null;
    const hours = template.monthlyHours ? rng.int(template.monthlyHours[0] * 4, template.monthlyHours[1] * 4) * 25 : null;
    const userShare = monthly !== null && template.meansTestType ? Math.floor((monthly * rng.int(0, 30)) / 100) : 0;
    const healthShare = monthly !== null && (template.siussCode.startsWith('E3') || template.siussCode.startsWith('D2')) ? Math.floor((monthly * rng.int(0, 40)) / 100) : 0;
    const started = activation < a.asOf ? activation : null;
    const ended = status === 'ended' ? events.at(-1)!.at : null;
    const months = ended !== null && started !== null ? Math.max(1, Math.round((ended - started) / (30 * DAY))) : null;
    const total = monthly === null ? null : template.periodic ? (months !== null ? monthly * months : null) : monthly;
    const plannedStart = requested + 15 * DAY;
    const dsu = template.meansTestType ? requested - rng.int(1, 60) * DAY : null;
    const interventionId = rng.uuid();
    const author = a.managerAt(requested);
    t.interventions.add(
      interventionId, a.org.id, a.caseId, serviceId, status, day(plannedStart), day(plannedStart + (template.periodic ? 365 : 0) * DAY),
      started === null ? null : day(started), ended === null ? null : day(ended), rng.pick(providers),
      hours === null ? null : cents(hours), total === null ? null : cents(total), monthly === null || !template.periodic ? null : cents(monthly),
      monthly === null ? null : cents(monthly - userShare - healthShare), monthly === null ? null : cents(userShare), monthly === null ? null : cents(healthShare),
      template.meansTestType ? '20000.00' : null, dsu === null ? null : `INPS-ISEE-${day(dsu).slice(0, 4)}-${rng.int(10_000_000, 99_999_999)}-00`, dsu === null ? null : day(dsu),
      author, iso(requested), iso(events.at(-1)!.at), events.length,
    );
    let from: InterventionEvent['to'] | null = null;
    for (const event of events) {
      t.interventionStatusChanges.add(rng.uuid(), interventionId, from, event.to, null, a.managerAt(event.at), iso(event.at));
      from = event.to;
    }
  }
}

export function generateActivity(a: ActivityScope): void {
  a.periods.forEach((period, index) => {
    const end = period.to ?? a.asOf;
    notes(a, period, end);
    assessment(a, period, end, index === 0);
    if (period.inCharge === null) return;
    plans(a, period, end);
    interventions(a, period, end);
  });
}
