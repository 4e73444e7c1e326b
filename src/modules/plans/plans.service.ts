import type { z } from 'zod';
import { organisationOf } from '../../access/actor.js';
import { caseAuditFacts, requireCaseAccessFor } from '../../access/case-resource.js';
import { caseScope, requireCaseAccess } from '../../access/case-scope.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { ServiceContext } from '../../platform/request-context.js';
import type { planStatuses } from '../../shared/domain.js';
import { AppError, conflict, invalid } from '../../shared/errors.js';
import { toPage, type PageQuery } from '../../shared/pagination.js';
import { activeStaffRole } from '../assignments/assignments.service.js';
import * as repository from './plans.repository.js';
import type { CreatePlanInput, planListQuery, UpdatePlanInput } from './plans.schemas.js';

/**
 * Plans are written by the case's social workers and coordinators and read by whoever may read the case.
 * A completed or cancelled plan is kept as it was: a new plan follows it.
 */
type PlanStatus = (typeof planStatuses)[number];
const nextStatuses: Record<PlanStatus, readonly PlanStatus[]> = {
  draft: ['active', 'cancelled'],
  active: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

const responsibleRoles = new Set(['social_worker', 'coordinator', 'educator']);

async function assertResponsible(ctx: ServiceContext, organisationId: string, staffId: string) {
  const role = await activeStaffRole(ctx, organisationId, staffId);
  if (!role || !responsibleRoles.has(role)) {
    throw invalid(
      'body/responsibleStaffId',
      'names no active social worker, coordinator or educator of this organisation',
    );
  }
}

export async function createPlan(ctx: ServiceContext, caseId: string, input: CreatePlanInput) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'write');
  ctx.audit(caseAuditFacts(scoped));
  if (input.reviewDueDate < input.startDate)
    throw invalid('body/reviewDueDate', 'must be on or after startDate');
  if (scoped.status === 'closed') throw conflict('The case is closed: reopen it before adding a plan.');
  await assertResponsible(ctx, scoped.organisationId, input.responsibleStaffId);
  return ctx.transaction(async (tx) => {
    const id = await repository.insertPlan(tx, {
      ...input,
      organisationId: scoped.organisationId,
      caseId,
      createdBy: ctx.actor.id,
    });
    ctx.audit({ resourceId: id });
    return (await repository.findPlan(tx, scoped.organisationId, id))!;
  });
}

export async function listPlans(ctx: ServiceContext, caseId: string, query: z.infer<typeof planListQuery>) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'read');
  const rows = await repository.listPlans(ctx.db, ctx.actor, {
    ...query,
    organisationId: scoped.organisationId,
    caseId,
  });
  const page = toPage(rows, query.limit, (row) => row);
  ctx.audit({ ...caseAuditFacts(scoped), details: { returnedIds: page.items.map((p) => p.id) } });
  return page;
}

export async function getPlan(ctx: ServiceContext, id: string) {
  const organisationId = organisationOf(ctx.actor);
  const scoped = await requireCaseAccessFor(
    ctx.db,
    ctx.actor,
    await repository.caseOfPlan(ctx.db, organisationId, id),
    'read',
    'plan',
  );
  ctx.audit({ ...caseAuditFacts(scoped), resourceId: id });
  return (await repository.findPlan(ctx.db, organisationId, id))!;
}

/**
 * A work list, so it shows the caller's own cases: those of their ordinary scope (assigned, coordinated
 * team; every case for a director). Cases reached only through an emergency grant are left out — a grant
 * opens one case for an emergency, not a colleague's caseload.
 */
export async function listOverdueReviews(ctx: ServiceContext, query: PageQuery) {
  const organisationId = organisationOf(ctx.actor);
  const scope = caseScope(ctx.actor, ctx.actor.role === 'director' ? 'read' : 'write');
  const rows = await repository.listOverdueReviews(ctx.db, scope, { ...query, organisationId });
  const page = toPage(rows, query.limit, (row) => row);
  ctx.audit({
    details: {
      returnedIds: page.items.map((p) => p.id),
      caseIds: [...new Set(page.items.map((p) => p.caseId))],
    },
  });
  return page;
}

export async function updatePlan(
  ctx: ServiceContext,
  id: string,
  expectedVersion: number,
  input: UpdatePlanInput,
) {
  const organisationId = organisationOf(ctx.actor);
  const scoped = await requireCaseAccessFor(
    ctx.db,
    ctx.actor,
    await repository.caseOfPlan(ctx.db, organisationId, id),
    'write',
    'plan',
  );
  ctx.audit({ ...caseAuditFacts(scoped), resourceId: id, details: { changed: Object.keys(input) } });
  const current = (await repository.findPlan(ctx.db, organisationId, id))!;
  if (current.version !== expectedVersion) throw staleVersion();
  if (nextStatuses[current.status].length === 0)
    throw conflict(`The plan is ${current.status}: it is kept as it was; start a new plan.`);
  if (
    input.status &&
    input.status !== current.status &&
    !nextStatuses[current.status].includes(input.status)
  ) {
    throw new AppError('invalid_transition', `A ${current.status} plan cannot become ${input.status}.`);
  }
  const startDate = input.startDate ?? current.startDate;
  if ((input.reviewDueDate ?? current.reviewDueDate) < startDate) {
    throw invalid(
      input.reviewDueDate ? 'body/reviewDueDate' : 'body/startDate',
      'the review is due on or after startDate',
    );
  }
  if (input.responsibleStaffId) await assertResponsible(ctx, organisationId, input.responsibleStaffId);
  if (input.status && input.status !== current.status)
    ctx.audit({ details: { fromStatus: current.status, toStatus: input.status } });
  return ctx.transaction(async (tx) => {
    if (!(await repository.updatePlan(tx, organisationId, id, expectedVersion, input))) throw staleVersion();
    return (await repository.findPlan(tx, organisationId, id))!;
  });
}
