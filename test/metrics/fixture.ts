import { sql } from 'drizzle-orm';
import { assignments, caseStatusChanges, cases, citizens, organisationPopulations, plans, staff } from '../../src/db/schema/index.js';
import type { Database } from '../../src/platform/database.js';
import type { AssignmentRole, CaseStatus, UserArea } from '../../src/shared/domain.js';
import { seedWorld, type World } from '../helpers/world.js';

/**
 * A small deployment whose every metric is worked out by hand in METRICS.md §Worked example (and in the
 * tests). On top of the shared world, organisation A gets a caseload threshold of 3, population 30,000 for
 * 2026, socialWorker2 at 0.5 FTE, and cases C1–C7 (C0 is the world's case):
 *
 * | case | team | area | complexity | judicial | status | weight | active assignments |
 * | C0 | minori | family_minors | 2 | no | in_charge | 1.5 | SW1 case manager, ED educator |
 * | C1 | minori | family_minors | 3 | yes | in_charge | 2.5 | SW1 case manager, SW2 co-worker |
 * | C2 | minori | family_minors | 1 | no | open | 1 | SW2 case manager |
 * | C3 | anziani | elderly | 2 | no | in_charge | 1.5 | CO2 (coordinatorOther) case manager |
 * | C4 | minori | family_minors | 1 | no | closed | — | none (SW1's ended) |
 * | C5 | minori | poverty_adults | 2 | no | in_charge | 1.5 | SW1 case manager (SW2's co-working ended) |
 * | C6 | minori | family_minors | 3 | no | referred | — | none |
 * | C7 | minori | family_minors | 1 | no | in_charge | 1 | SW2 case manager, SW1 absence cover until +10 days (ED starts in 5 days) |
 *
 * Organisation B gets one case (minori, complexity 3, judicial, in_charge) managed by its socialWorker.
 */
export type CaseKey = 'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6' | 'c7' | 'b1';

export interface MetricsFixture {
  w: World;
  cases: Record<CaseKey, string> & { c0: string };
}

const day = 86_400_000;
const at = (iso: string) => new Date(iso);

interface CaseSpec {
  organisationId: string;
  citizenId: string;
  teamId: string;
  userArea: UserArea;
  complexity: number;
  judicialMeasure: boolean;
  status: CaseStatus;
  referralDate: string;
  createdAt: Date;
  createdBy: string;
  assignments: { staffId: string; role: AssignmentRole; from: Date; to?: Date }[];
  changes?: { from: CaseStatus | null; to: CaseStatus; at: Date }[];
}

export async function insertCase(db: Database, spec: CaseSpec): Promise<string> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(cases)
      .values({
        organisationId: spec.organisationId,
        citizenId: spec.citizenId,
        teamId: spec.teamId,
        userArea: spec.userArea,
        siussArea: spec.userArea === 'elderly' ? 2 : spec.userArea === 'poverty_adults' ? 3 : 1,
        referralSource: 'school',
        referralDate: spec.referralDate,
        complexity: spec.complexity,
        judicialMeasure: spec.judicialMeasure,
        status: spec.status,
        closureReason: spec.status === 'closed' ? 'goals_achieved' : null,
        createdBy: spec.createdBy,
        createdAt: spec.createdAt,
      })
      .returning({ id: cases.id });
    const caseId = row!.id;
    if (spec.assignments.length > 0) {
      await tx.insert(assignments).values(
        spec.assignments.map((a) => ({ organisationId: spec.organisationId, caseId, staffId: a.staffId, role: a.role, validFrom: a.from, validTo: a.to ?? null, createdBy: spec.createdBy })),
      );
    }
    for (const change of spec.changes ?? []) {
      await tx.insert(caseStatusChanges).values({ caseId, fromStatus: change.from, toStatus: change.to, changedBy: spec.createdBy, changedAt: change.at });
    }
    return caseId;
  });
}

export async function seedMetricsFixture(db: Database): Promise<MetricsFixture> {
  const w = await seedWorld(db);
  const { a, b } = w;
  const s = a.staff;
  const now = Date.now();
  const past = new Date(now - 30 * day);

  await db.update(staff).set({ fte: '0.50' }).where(sql`${staff.id} = ${s.socialWorker2.id}`);
  await db.update(staff).set({ profile: 'other' }).where(sql`${staff.id} in (${s.auditor.id}, ${s.electedOfficial.id})`);
  await db.update(staff).set({ contract: 'fixed_term' }).where(sql`${staff.id} = ${s.coordinatorOther.id}`);
  // Left the service: counts nowhere.
  await db.insert(staff).values({ organisationId: a.id, subject: `metrics-left-${now}`, givenName: 'Ex', familyName: 'Worker', role: 'social_worker', profile: 'social_worker', contract: 'permanent', fte: '1.00', active: false });
  await db.execute(sql`update organisations set caseload_threshold = 3 where id = ${a.id}`);
  await db.insert(organisationPopulations).values([
    { organisationId: a.id, year: 2026, residents: 30_000 },
    { organisationId: a.id, year: 2025, residents: 29_000 },
    { organisationId: b.id, year: 2026, residents: 10_000 },
  ]);
  const [citizenB] = await db
    .insert(citizens)
    .values({ organisationId: b.id, fiscalCode: 'BNCLRA85M41L219Y', givenName: 'Laura', familyName: 'Bianchi', sex: 'F', birthDate: '1985-08-01', birthPlace: 'L219', citizenship: '100' })
    .returning({ id: citizens.id });

  const base = { organisationId: a.id, citizenId: w.citizenId, teamId: a.teams.minori, userArea: 'family_minors' as const, judicialMeasure: false, createdBy: s.coordinator.id };
  const c1 = await insertCase(db, {
    ...base,
    complexity: 3,
    judicialMeasure: true,
    status: 'in_charge',
    referralDate: '2026-02-01',
    createdAt: at('2026-02-02T10:00:00Z'),
    assignments: [
      { staffId: s.socialWorker.id, role: 'case_manager', from: past },
      { staffId: s.socialWorker2.id, role: 'co_worker', from: past },
    ],
    changes: [
      { from: null, to: 'referred', at: at('2026-02-02T10:00:00Z') },
      { from: 'referred', to: 'open', at: at('2026-02-10T10:00:00Z') },
      { from: 'open', to: 'in_charge', at: at('2026-03-05T10:00:00Z') },
    ],
  });
  // Created 2026-04-01 00:30 in Rome: April, not March.
  const c2 = await insertCase(db, { ...base, complexity: 1, status: 'open', referralDate: '2026-03-30', createdAt: at('2026-03-31T22:30:00Z'), assignments: [{ staffId: s.socialWorker2.id, role: 'case_manager', from: past }] });
  const c3 = await insertCase(db, {
    ...base,
    teamId: a.teams.anziani,
    userArea: 'elderly',
    complexity: 2,
    status: 'in_charge',
    referralDate: '2026-02-20',
    createdAt: at('2026-02-21T09:00:00Z'),
    assignments: [{ staffId: s.coordinatorOther.id, role: 'case_manager', from: past }],
    changes: [{ from: 'open', to: 'in_charge', at: at('2026-03-10T10:00:00Z') }],
  });
  const c4 = await insertCase(db, {
    ...base,
    complexity: 1,
    status: 'closed',
    referralDate: '2025-05-01',
    createdAt: at('2025-05-02T09:00:00Z'),
    assignments: [{ staffId: s.socialWorker.id, role: 'case_manager', from: at('2025-05-10T09:00:00Z'), to: at('2026-03-20T10:00:00Z') }],
    changes: [
      { from: 'open', to: 'in_charge', at: at('2025-06-01T10:00:00Z') },
      { from: 'in_charge', to: 'closed', at: at('2026-03-05T10:00:00Z') },
      { from: 'closed', to: 'in_charge', at: at('2026-03-12T10:00:00Z') },
      { from: 'in_charge', to: 'closed', at: at('2026-03-20T10:00:00Z') },
    ],
  });
  const c5 = await insertCase(db, {
    ...base,
    userArea: 'poverty_adults',
    complexity: 2,
    status: 'in_charge',
    referralDate: '2025-12-01',
    createdAt: at('2025-12-02T09:00:00Z'),
    assignments: [
      { staffId: s.socialWorker.id, role: 'case_manager', from: past },
      { staffId: s.socialWorker2.id, role: 'co_worker', from: new Date(now - 60 * day), to: new Date(now - 10 * day) },
    ],
    // 2026-04-01 00:30 in Rome: taken in charge in April.
    changes: [{ from: 'open', to: 'in_charge', at: at('2026-03-31T22:30:00Z') }],
  });
  const c6 = await insertCase(db, { ...base, complexity: 3, status: 'referred', referralDate: '2026-10-01', createdAt: new Date(now - 5 * day), assignments: [] });
  // Created 2026-03-01 00:30 in Rome (still February in UTC): opened in March.
  const c7 = await insertCase(db, {
    ...base,
    complexity: 1,
    status: 'in_charge',
    referralDate: '2026-03-01',
    createdAt: at('2026-02-28T23:30:00Z'),
    assignments: [
      { staffId: s.socialWorker2.id, role: 'case_manager', from: past },
      { staffId: s.socialWorker.id, role: 'co_worker', from: new Date(now - 2 * day), to: new Date(now + 10 * day) },
      { staffId: s.educator.id, role: 'educator', from: new Date(now + 5 * day) },
    ],
    changes: [{ from: 'open', to: 'in_charge', at: at('2026-03-15T09:00:00Z') }],
  });
  const b1 = await insertCase(db, {
    organisationId: b.id,
    citizenId: citizenB!.id,
    teamId: b.teams.minori,
    userArea: 'family_minors',
    complexity: 3,
    judicialMeasure: true,
    status: 'in_charge',
    referralDate: '2026-03-02',
    createdAt: at('2026-03-03T09:00:00Z'),
    createdBy: b.staff.coordinator.id,
    assignments: [{ staffId: b.staff.socialWorker.id, role: 'case_manager', from: past }],
    changes: [{ from: 'open', to: 'in_charge', at: at('2026-03-20T09:00:00Z') }],
  });

  const plan = (caseId: string, reviewDueDate: string, status: 'active' | 'completed') => ({
    organisationId: a.id,
    caseId,
    goals: ['autonomia'],
    startDate: '2020-01-01',
    reviewDueDate,
    responsibleStaffId: s.socialWorker.id,
    status,
    createdBy: s.socialWorker.id,
  });
  await db.insert(plans).values([plan(c1, '2026-01-01', 'active'), plan(c3, '2099-01-01', 'active'), plan(c5, '2020-06-01', 'completed'), plan(c7, '2025-06-01', 'active')]);
  await db.insert(plans).values({ ...plan(b1, '2026-01-01', 'active'), organisationId: b.id, responsibleStaffId: b.staff.socialWorker.id, createdBy: b.staff.socialWorker.id });

  return { w, cases: { c0: w.caseId, c1, c2, c3, c4, c5, c6, c7, b1 } };
}
