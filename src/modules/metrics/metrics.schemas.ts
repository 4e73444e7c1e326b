import { z } from 'zod';
import { staffRoles, userAreas } from '../../shared/domain.js';
import { isoDate, timestampOut, uuid } from '../../shared/schemas.js';
import { caseloadWeights } from '../organisations/organisations.schemas.js';

/** Periods longer than this are refused: the flow is read live, and five years covers any planning cycle. */
export const maxFlowDays = 5 * 366;

export const caseloadQuery = z.object({ groupBy: z.enum(['worker', 'team', 'area']) });

export const flowQuery = z
  .object({ from: isoDate, to: isoDate })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < maxFlowDays, { path: ['to'], message: `the period may span at most ${maxFlowDays} days` });

export const staffingQuery = z.object({
  year: z
    .string()
    .regex(/^[0-9]{4}$/, 'must be a year such as 2026')
    .transform(Number)
    .pipe(z.number().int().min(1900).max(2200))
    .optional(),
});

const scope = z.enum(['organisation', 'teams', 'self']);

const distribution = z.object({ min: z.number(), median: z.number(), p90: z.number(), max: z.number() }).meta({ id: 'MetricDistribution' });

const caseTotals = {
  activeCases: z.number().int(),
  open: z.number().int(),
  inCharge: z.number().int(),
  weightedCaseload: z.number(),
  judicialMeasures: z.number().int(),
};

const workerGroup = {
  workers: z.number().int(),
  /** null when there are no workers, or (for elected officials) fewer than three. */
  distribution: z.object({ activeCases: distribution.nullable(), weightedPerFte: distribution.nullable() }).nullable(),
  workersAboveThreshold: z.number().int().nullable(),
};

export const workerCaseload = z
  .object({
    staffId: uuid,
    givenName: z.string(),
    familyName: z.string(),
    role: z.enum(staffRoles),
    fte: z.number(),
    teamIds: z.array(uuid),
    caseManager: z.number().int(),
    coWorker: z.number().int(),
    educator: z.number().int(),
    activeCases: z.number().int(),
    weightedCaseload: z.number(),
    weightedPerFte: z.number().nullable(),
    aboveThreshold: z.boolean(),
    byUserArea: z.array(z.object({ userArea: z.enum(userAreas), activeCases: z.number().int(), weightedCaseload: z.number() })),
  })
  .meta({ id: 'WorkerCaseload' });

export const teamCaseload = z.object({ teamId: uuid, name: z.string(), ...caseTotals, ...workerGroup }).meta({ id: 'TeamCaseload' });
export const areaCaseload = z.object({ userArea: z.enum(userAreas), ...caseTotals }).meta({ id: 'AreaCaseload' });

export const caseloadMetrics = z
  .object({
    groupBy: z.enum(['worker', 'team', 'area']),
    scope,
    computedAt: timestampOut,
    weights: caseloadWeights,
    threshold: z.number(),
    summary: z.object({ ...caseTotals, ...workerGroup }),
    workers: z.array(workerCaseload).optional(),
    teams: z.array(teamCaseload).optional(),
    areas: z.array(areaCaseload).optional(),
  })
  .meta({ id: 'CaseloadMetrics' });

export const flowMetrics = z
  .object({
    from: isoDate,
    to: isoDate,
    scope,
    computedAt: timestampOut,
    opened: z.number().int(),
    takenInCharge: z.number().int(),
    reopened: z.number().int(),
    closed: z.number().int(),
    referralToInCharge: z.object({ cases: z.number().int(), medianDays: z.number().nullable(), p90Days: z.number().nullable() }),
    plansOverdue: z.number().int(),
  })
  .meta({ id: 'FlowMetrics' });

export const staffingMetrics = z
  .object({
    year: z.number().int(),
    residents: z.number().int().nullable(),
    socialWorkers: z.object({ permanentHeadcount: z.number().int(), permanentFte: z.number(), allContractsFte: z.number() }),
    residentsPerFte: z.number().nullable(),
    levels: z.array(
      z.object({
        residentsPerSocialWorker: z.number().int(),
        met: z.boolean().nullable(),
        requiredFte: z.number().nullable(),
        missingFte: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'StaffingMetrics' });
