import type { AssignmentRole, StaffRole, UserArea } from '../../shared/domain.js';
import { userAreas } from '../../shared/domain.js';
import { distributionOf, round2, type Distribution } from './metrics.stats.js';

/**
 * Caseload figures from the aggregated rows the repository returns (METRICS.md): per worker, per group of
 * workers (a team, the scope), and case totals. Pure, so the formulas are tested without a database.
 */
export type LoadRow = {
  staffId: string;
  role: AssignmentRole;
  userArea: UserArea;
  cases: number;
  weighted: number;
};

export type CaseRow = {
  teamId: string;
  userArea: UserArea;
  status: 'open' | 'in_charge';
  cases: number;
  weighted: number;
  judicial: number;
};

export type StaffRow = {
  id: string;
  givenName: string;
  familyName: string;
  role: StaffRole;
  fte: number;
  teamIds: string[];
};

export interface WorkerFigures {
  staffId: string;
  givenName: string;
  familyName: string;
  role: StaffRole;
  fte: number;
  teamIds: string[];
  caseManager: number;
  coWorker: number;
  educator: number;
  activeCases: number;
  weightedCaseload: number;
  weightedPerFte: number | null;
  aboveThreshold: boolean;
  byUserArea: { userArea: UserArea; activeCases: number; weightedCaseload: number }[];
}

export interface CaseTotals {
  activeCases: number;
  open: number;
  inCharge: number;
  weightedCaseload: number;
  judicialMeasures: number;
}

export interface WorkerGroup {
  workers: number;
  distribution: { activeCases: Distribution | null; weightedPerFte: Distribution | null } | null;
  workersAboveThreshold: number | null;
}

/** Roles that carry cases by definition; anyone else counts as a worker only while holding a case. */
const caseRoles: readonly StaffRole[] = ['social_worker', 'educator'];
const roleField = { case_manager: 'caseManager', co_worker: 'coWorker', educator: 'educator' } as const;

export function workerFigures(staff: readonly StaffRow[], loads: readonly LoadRow[], threshold: number): WorkerFigures[] {
  const byStaff = new Map<string, LoadRow[]>();
  for (const row of loads) {
    if (!byStaff.has(row.staffId)) byStaff.set(row.staffId, []);
    byStaff.get(row.staffId)!.push(row);
  }
  return staff
    .filter((s) => caseRoles.includes(s.role) || byStaff.has(s.id))
    .map((s) => {
      const rows = byStaff.get(s.id) ?? [];
      const counts = { caseManager: 0, coWorker: 0, educator: 0 };
      const areas = new Map<UserArea, { activeCases: number; weightedCaseload: number }>();
      let weighted = 0;
      for (const row of rows) {
        counts[roleField[row.role]] += row.cases;
        weighted += row.weighted;
        const area = areas.get(row.userArea) ?? { activeCases: 0, weightedCaseload: 0 };
        area.activeCases += row.cases;
        area.weightedCaseload += row.weighted;
        areas.set(row.userArea, area);
      }
      const perFte = s.fte > 0 ? weighted / s.fte : null;
      return {
        staffId: s.id,
        givenName: s.givenName,
        familyName: s.familyName,
        role: s.role,
        fte: s.fte,
        teamIds: s.teamIds,
        ...counts,
        activeCases: counts.caseManager + counts.coWorker + counts.educator,
        weightedCaseload: round2(weighted),
        weightedPerFte: perFte === null ? null : round2(perFte),
        aboveThreshold: perFte !== null && perFte > threshold,
        byUserArea: userAreas
          .filter((area) => areas.has(area))
          .map((area) => ({ userArea: area, activeCases: areas.get(area)!.activeCases, weightedCaseload: round2(areas.get(area)!.weightedCaseload) })),
      };
    });
}

/**
 * Distribution and threshold count over a group of workers. With `minimumGroup` > 1 a smaller group gets
 * only its head count: its spread would describe identifiable colleagues (elected officials, METRICS.md).
 */
export function groupOf(workers: readonly WorkerFigures[], minimumGroup = 1): WorkerGroup {
  if (workers.length === 0) return { workers: 0, distribution: null, workersAboveThreshold: 0 };
  if (workers.length < minimumGroup) return { workers: workers.length, distribution: null, workersAboveThreshold: null };
  const perFte = workers.flatMap((w) => (w.weightedPerFte === null ? [] : [w.weightedPerFte]));
  return {
    workers: workers.length,
    distribution: { activeCases: distributionOf(workers.map((w) => w.activeCases)), weightedPerFte: distributionOf(perFte) },
    workersAboveThreshold: workers.filter((w) => w.aboveThreshold).length,
  };
}

export function totalsOf(rows: readonly CaseRow[]): CaseTotals {
  const totals = { activeCases: 0, open: 0, inCharge: 0, weightedCaseload: 0, judicialMeasures: 0 };
  for (const row of rows) {
    totals.activeCases += row.cases;
    if (row.status === 'open') totals.open += row.cases;
    else totals.inCharge += row.cases;
    totals.weightedCaseload += row.weighted;
    totals.judicialMeasures += row.judicial;
  }
  return { ...totals, weightedCaseload: round2(totals.weightedCaseload) };
}
