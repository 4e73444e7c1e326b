import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { organisationOf } from '../../access/actor.js';
import { caseAuditFacts, requireCaseAccessFor } from '../../access/case-resource.js';
import { requireCaseAccess, type ScopedCase } from '../../access/case-scope.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { ServiceContext } from '../../platform/request-context.js';
import type { DbHandle } from '../../platform/database.js';
import { conflict, invalid } from '../../shared/errors.js';
import { toPage } from '../../shared/pagination.js';
import * as repository from './assignments.repository.js';
import {
  clockSkewMs,
  explainViolation,
  leavesCaseWithoutManager,
  mayHold,
  onlyTeamCoordinators,
} from './assignments.rules.js';
import type {
  assignmentListQuery,
  CreateAssignmentInput,
  EndAssignmentInput,
} from './assignments.schemas.js';

/**
 * Assigning workers is the coordinators' call, on the cases of their own teams (SPEC §1); everyone who may
 * read a case may read who works on it, history included. The database guards the invariants (one case
 * manager at a time, an in_charge case has one); this service explains their refusals as 409s and adds the
 * rule the database cannot see: an in_charge case never runs out of case manager in the future either.
 */
const dbNow = sql`now()`;

function requireTeamCoordinator(ctx: ServiceContext, scoped: ScopedCase) {
  if (ctx.actor.role !== 'coordinator' || !ctx.actor.teamIds.includes(scoped.teamId))
    throw onlyTeamCoordinators();
}

/** Runs a change, turning the database's assignment rules into explained 409s. */
async function underAssignmentRules<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw explainViolation(error) ?? error;
  }
}

async function assertCaseManagerCoverage(tx: DbHandle, scoped: ScopedCase) {
  if (scoped.status === 'in_charge' && !(await repository.caseManagerCoversFuture(tx, scoped.id)))
    throw leavesCaseWithoutManager();
}

/** Exported for plans: whether a staff member is active in the organisation, and in which role. */
export const activeStaffRole = (ctx: ServiceContext, organisationId: string, staffId: string) =>
  repository.activeStaffRole(ctx.db, organisationId, staffId);

export async function createAssignment(ctx: ServiceContext, caseId: string, input: CreateAssignmentInput) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'write');
  ctx.audit(caseAuditFacts(scoped));
  requireTeamCoordinator(ctx, scoped);
  if (scoped.status === 'closed') throw conflict('The case is closed: reopen it before assigning workers.');
  if (input.replaceCurrent && input.role !== 'case_manager')
    throw invalid('body/replaceCurrent', 'only a case manager replaces the current one');
  const validFrom = input.validFrom ? new Date(input.validFrom) : undefined;
  const validTo = input.validTo ? new Date(input.validTo) : undefined;
  if (validFrom && validFrom.getTime() < Date.now() - clockSkewMs)
    throw invalid('body/validFrom', 'must not be in the past: history is not rewritten');
  if (validTo && validTo.getTime() <= Math.max(validFrom?.getTime() ?? 0, Date.now())) {
    throw invalid('body/validTo', 'must be in the future and after validFrom');
  }
  const staffRole = await repository.activeStaffRole(ctx.db, scoped.organisationId, input.staffId);
  if (!staffRole) throw invalid('body/staffId', 'names no active staff member of this organisation');
  if (!mayHold(staffRole, input.role))
    throw invalid('body/role', `a ${staffRole} cannot hold the role ${input.role}`);

  return underAssignmentRules(() =>
    ctx.transaction(async (tx) => {
      const at = validFrom ?? dbNow;
      let replacedId: string | undefined;
      if (input.replaceCurrent) {
        const current = await repository.caseManagerAt(tx, caseId, at);
        if (current?.staffId === input.staffId) throw invalid('body/staffId', 'is already the case manager');
        if (current) {
          await repository.endAssignment(tx, current.id, {
            validTo: at,
            endReason: input.reason ?? 'handover',
          });
          replacedId = current.id;
        }
      }
      const id = await repository.insertAssignment(tx, {
        organisationId: scoped.organisationId,
        caseId,
        staffId: input.staffId,
        role: input.role,
        validFrom: at,
        validTo,
        reason: input.reason,
        createdBy: ctx.actor.id,
      });
      if (input.role === 'case_manager') await assertCaseManagerCoverage(tx, scoped);
      ctx.audit({
        resourceId: id,
        details: {
          staffId: input.staffId,
          role: input.role,
          ...(replacedId ? { endedIds: [replacedId] } : {}),
        },
      });
      return (await repository.findAssignment(tx, scoped.organisationId, id))!;
    }),
  );
}

export async function listAssignments(
  ctx: ServiceContext,
  caseId: string,
  query: z.infer<typeof assignmentListQuery>,
) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'read');
  const rows = await repository.listAssignments(ctx.db, ctx.actor, {
    ...query,
    organisationId: scoped.organisationId,
    caseId,
  });
  const page = toPage(rows, query.limit, (row) => row);
  ctx.audit({ ...caseAuditFacts(scoped), details: { returnedIds: page.items.map((a) => a.id) } });
  return page;
}

/** Ends an assignment now or at a given instant, or brings an end forward; nothing else can change. */
export async function endAssignment(
  ctx: ServiceContext,
  id: string,
  expectedVersion: number,
  input: EndAssignmentInput,
) {
  const organisationId = organisationOf(ctx.actor);
  const scoped = await requireCaseAccessFor(
    ctx.db,
    ctx.actor,
    await repository.caseOfAssignment(ctx.db, organisationId, id),
    'write',
    'assignment',
  );
  ctx.audit({ ...caseAuditFacts(scoped), resourceId: id });
  requireTeamCoordinator(ctx, scoped);
  const current = (await repository.findAssignment(ctx.db, organisationId, id))!;
  if (current.version !== expectedVersion) throw staleVersion();
  if (current.validTo && current.validTo.getTime() <= Date.now())
    throw conflict('The assignment has already ended; its history is kept as it is.');
  const validTo = input.validTo ? new Date(input.validTo) : undefined;
  if (validTo) {
    if (validTo.getTime() < Date.now() - clockSkewMs)
      throw invalid('body/validTo', 'must not be in the past: history is not rewritten');
    if (validTo <= current.validFrom) throw invalid('body/validTo', 'must be after validFrom');
    if (current.validTo && validTo >= current.validTo)
      throw invalid('body/validTo', 'may only end the assignment earlier than planned');
  } else if (current.validFrom.getTime() > Date.now()) {
    throw invalid('body/validTo', 'is required for an assignment that has not started yet');
  }
  ctx.audit({ details: { staffId: current.staffId, role: current.role } });

  return underAssignmentRules(() =>
    ctx.transaction(async (tx) => {
      const ended = await repository.endAssignment(tx, id, {
        validTo: validTo ?? dbNow,
        endReason: input.endReason,
        expectedVersion,
      });
      if (!ended) throw staleVersion();
      if (current.role === 'case_manager') await assertCaseManagerCoverage(tx, scoped);
      return (await repository.findAssignment(tx, organisationId, id))!;
    }),
  );
}
