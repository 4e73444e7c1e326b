import { organisationOf, type Actor } from '../../access/actor.js';
import { requireCaseAccess, type ScopedCase } from '../../access/case-scope.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { invalid, notFound } from '../../shared/errors.js';
import { toPage } from '../../shared/pagination.js';
import { assertCitizenInOrganisation } from '../citizens/citizens.service.js';
import { assertHouseholdInOrganisation } from '../households/households.service.js';
import * as repository from './cases.repository.js';
import type { CaseListQuery, CreateCaseInput, UpdateCaseInput } from './cases.schemas.js';

export const auditFactsOf = (scoped: ScopedCase) => ({
  resourceId: scoped.id,
  caseId: scoped.id,
  citizenId: scoped.citizenId,
  emergency: scoped.viaEmergency,
});

/** A case is placed only in a team of the person placing it: a social worker's team, a coordinator's own. */
function assertOwnTeam(actor: Actor, teamId: string) {
  if (!actor.teamIds.includes(teamId)) {
    throw invalid(
      'body/teamId',
      actor.role === 'coordinator' ? 'must be a team you coordinate' : 'must be one of your teams',
    );
  }
}

/**
 * SPEC §3: the social worker who opens a case becomes its case manager; a coordinator opening one names
 * the case manager, an active social worker of the organisation.
 */
async function caseManagerOf(
  ctx: ServiceContext,
  organisationId: string,
  named: string | undefined,
): Promise<string> {
  if (ctx.actor.role === 'social_worker') {
    if (named !== undefined && named !== ctx.actor.id)
      throw invalid('body/caseManagerId', 'a social worker who opens a case is its case manager');
    return ctx.actor.id;
  }
  if (named === undefined) throw invalid('body/caseManagerId', 'is required when a coordinator opens a case');
  if (!(await repository.isActiveSocialWorker(ctx.db, organisationId, named))) {
    throw invalid('body/caseManagerId', 'must be an active social worker of the organisation');
  }
  return named;
}

export async function createCase(ctx: ServiceContext, input: CreateCaseInput) {
  const organisationId = organisationOf(ctx.actor);
  const { caseManagerId: named, ...fields } = input;
  assertOwnTeam(ctx.actor, input.teamId);
  await assertCitizenInOrganisation(ctx, organisationId, input.citizenId);
  if (input.householdId) await assertHouseholdInOrganisation(ctx, organisationId, input.householdId);
  const caseManagerId = await caseManagerOf(ctx, organisationId, named);
  return ctx.transaction(async (tx) => {
    const caseId = await repository.insertCase(tx, {
      ...fields,
      organisationId,
      status: 'referred',
      createdBy: ctx.actor.id,
    });
    await repository.insertCaseManager(tx, {
      organisationId,
      caseId,
      staffId: caseManagerId,
      createdBy: ctx.actor.id,
    });
    await repository.insertStatusChange(tx, {
      caseId,
      fromStatus: null,
      toStatus: 'referred',
      changedBy: ctx.actor.id,
    });
    ctx.audit({ resourceId: caseId, caseId, citizenId: input.citizenId, details: { caseManagerId } });
    return (await repository.findCase(tx, organisationId, caseId))!;
  });
}

export async function listCases(ctx: ServiceContext, query: CaseListQuery) {
  const rows = await repository.listCases(ctx.db, ctx.actor, query);
  // `viaEmergency` feeds the audit flag; the response schema does not declare it, so it never leaves.
  const page = toPage(rows, query.limit, (row) => row);
  ctx.audit({
    emergency: page.items.some((c) => c.viaEmergency),
    details: { returnedIds: page.items.map((c) => c.id) },
  });
  return page;
}

export async function getCase(ctx: ServiceContext, caseId: string) {
  const found = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'read', repository.caseColumns);
  ctx.audit(auditFactsOf(found));
  return found;
}

export async function updateCase(
  ctx: ServiceContext,
  caseId: string,
  expectedVersion: number,
  input: UpdateCaseInput,
) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'write');
  ctx.audit({ ...auditFactsOf(scoped), details: { changed: Object.keys(input) } });
  if (input.teamId !== undefined && input.teamId !== scoped.teamId) assertOwnTeam(ctx.actor, input.teamId);
  if (input.householdId) await assertHouseholdInOrganisation(ctx, scoped.organisationId, input.householdId);
  return ctx.transaction(async (tx) => {
    if (!(await repository.updateCase(tx, caseId, expectedVersion, input))) throw staleVersion();
    return (await repository.findCase(tx, scoped.organisationId, caseId))!;
  });
}

/**
 * Sealing (SPEC §4) is the director's: the list it sets overrides every other rule, the director's own
 * reading included. The director manages the seal of any case of the organisation, listed or not, so that
 * a seal can always be corrected; the answer carries ids only, never case content, and the change (with
 * the list) is in the audit trail.
 */
export async function sealCase(
  ctx: ServiceContext,
  caseId: string,
  input: { sealed: boolean; staffIds: string[] },
) {
  const organisationId = organisationOf(ctx.actor);
  const found = await repository.findCaseInOrganisation(ctx.db, organisationId, caseId);
  if (!found) throw notFound('case');
  const staffIds = [...new Set(input.staffIds)];
  ctx.audit({
    resourceId: caseId,
    caseId,
    citizenId: found.citizenId,
    details: { sealed: input.sealed, staffIds },
  });
  if ((await repository.countStaffIn(ctx.db, organisationId, staffIds)) !== staffIds.length) {
    throw invalid('body/staffIds', 'names a staff member who is not of this organisation');
  }
  return ctx.transaction(async (tx) => {
    await repository.replaceSeal(tx, caseId, input.sealed, staffIds);
    return { caseId, sealed: input.sealed, staffIds };
  });
}
