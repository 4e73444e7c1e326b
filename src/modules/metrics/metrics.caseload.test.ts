import { describe, expect, it } from 'vitest';
import { groupOf, totalsOf, workerFigures, type LoadRow, type StaffRow } from './metrics.caseload.js';

const staff = (id: string, role: StaffRow['role'], fte: number, teamIds: string[] = ['m']): StaffRow => ({ id, givenName: 'G', familyName: id, role, fte, teamIds });
const load = (staffId: string, role: LoadRow['role'], userArea: LoadRow['userArea'], cases: number, weighted: number): LoadRow => ({ staffId, role, userArea, cases, weighted });

describe('worker figures', () => {
  const people = [staff('sw1', 'social_worker', 1), staff('sw2', 'social_worker', 0.5), staff('ed', 'educator', 1), staff('co', 'coordinator', 1), staff('co2', 'coordinator', 1, ['n']), staff('idle', 'social_worker', 0)];
  const loads = [
    load('sw1', 'case_manager', 'family_minors', 2, 4),
    load('sw1', 'case_manager', 'poverty_adults', 1, 1.5),
    load('sw1', 'co_worker', 'family_minors', 1, 1),
    load('sw2', 'co_worker', 'family_minors', 1, 2.5),
    load('sw2', 'case_manager', 'family_minors', 2, 2),
    load('ed', 'educator', 'family_minors', 1, 1.5),
    load('co2', 'case_manager', 'elderly', 1, 1.5),
  ];
  const figures = workerFigures(people, loads, 3);
  const of = (id: string) => figures.find((f) => f.staffId === id)!;

  it('counts by role, weighs, divides by FTE and compares with the threshold', () => {
    expect(of('sw1')).toMatchObject({ caseManager: 3, coWorker: 1, educator: 0, activeCases: 4, weightedCaseload: 6.5, weightedPerFte: 6.5, aboveThreshold: true });
    expect(of('sw1').byUserArea).toEqual([
      { userArea: 'family_minors', activeCases: 3, weightedCaseload: 5 },
      { userArea: 'poverty_adults', activeCases: 1, weightedCaseload: 1.5 },
    ]);
    expect(of('sw2')).toMatchObject({ caseManager: 2, coWorker: 1, activeCases: 3, weightedCaseload: 4.5, weightedPerFte: 9, aboveThreshold: true });
    expect(of('ed')).toMatchObject({ educator: 1, activeCases: 1, weightedPerFte: 1.5, aboveThreshold: false });
  });

  it('a coordinator is a worker only while holding a case; a social worker always, even with none', () => {
    expect(figures.map((f) => f.staffId).sort()).toEqual(['co2', 'ed', 'idle', 'sw1', 'sw2']);
    expect(of('idle')).toMatchObject({ activeCases: 0, weightedCaseload: 0, weightedPerFte: null, aboveThreshold: false, byUserArea: [] });
  });

  it('the threshold is exceeded strictly', () => {
    expect(workerFigures([staff('x', 'social_worker', 1)], [load('x', 'case_manager', 'elderly', 2, 3)], 3)[0]!.aboveThreshold).toBe(false);
  });

  it('groups: distribution across workers (workers without FTE left out of the per-FTE spread)', () => {
    expect(groupOf(figures)).toEqual({
      workers: 5,
      distribution: {
        activeCases: { min: 0, median: 1, p90: 3.6, max: 4 },
        weightedPerFte: { min: 1.5, median: 4, p90: 8.25, max: 9 },
      },
      workersAboveThreshold: 2,
    });
  });

  it('a group smaller than the minimum gets its head count only; an empty group nothing above', () => {
    expect(groupOf(figures.slice(0, 2), 3)).toEqual({ workers: 2, distribution: null, workersAboveThreshold: null });
    expect(groupOf(figures.slice(0, 3), 3).distribution).not.toBeNull();
    expect(groupOf([], 3)).toEqual({ workers: 0, distribution: null, workersAboveThreshold: 0 });
  });
});

describe('case totals', () => {
  it('add up cases, statuses, weights and judicial measures', () => {
    expect(
      totalsOf([
        { teamId: 'm', userArea: 'family_minors', status: 'in_charge', cases: 3, weighted: 5, judicial: 1 },
        { teamId: 'm', userArea: 'family_minors', status: 'open', cases: 1, weighted: 1, judicial: 0 },
        { teamId: 'n', userArea: 'elderly', status: 'in_charge', cases: 1, weighted: 1.5, judicial: 0 },
      ]),
    ).toEqual({ activeCases: 5, open: 1, inCharge: 4, weightedCaseload: 7.5, judicialMeasures: 1 });
    expect(totalsOf([])).toEqual({ activeCases: 0, open: 0, inCharge: 0, weightedCaseload: 0, judicialMeasures: 0 });
  });
});
