import type { z } from 'zod';
import { organisationOf } from '../../access/actor.js';
import { requireCaseAccess, type CaseAccessMode, type ScopedCase } from '../../access/case-scope.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { AppError, conflict, invalid, notFound } from '../../shared/errors.js';
import { toPage } from '../../shared/pagination.js';
import { findActiveService } from '../catalogue/catalogue.service.js';
import { recordSiussFlows } from '../siuss/siuss.flows.js';
import * as repository from './interventions.repository.js';
import { assertConsistent, statusChangeOf } from './interventions.rules.js';
import type {
  CreateInterventionInput,
  interventionListQuery,
  UpdateInterventionInput,
} from './interventions.schemas.js';

/**
 * Interventions live inside a case: whoever may read (write) the case may read (write) its interventions,
 * and no one else learns that they exist (SPEC §4).
 */
const auditFactsOf = (scoped: ScopedCase) => ({
  caseId: scoped.id,
  citizenId: scoped.citizenId,
  emergency: scoped.viaEmergency,
});

/**
 * The case scope decides about an intervention by id. Outside it, the answer is the same 404 as for an id
 * that does not exist, so the message cannot tell the two apart either.
 */
async function requireInterventionAccess(
  ctx: ServiceContext,
  id: string,
  mode: CaseAccessMode,
): Promise<ScopedCase> {
  const caseId = await repository.caseOfIntervention(ctx.db, organisationOf(ctx.actor), id);
  if (!caseId) throw notFound('intervention');
  try {
    return await requireCaseAccess(ctx.db, ctx.actor, caseId, mode);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') throw notFound('intervention');
    throw error;
  }
}

export async function createIntervention(
  ctx: ServiceContext,
  caseId: string,
  input: CreateInterventionInput,
) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'write');
  ctx.audit(auditFactsOf(scoped));
  if (scoped.status === 'closed')
    throw conflict('The case is closed: reopen it before adding interventions.');
  const service = await findActiveService(ctx.db, scoped.organisationId, input.serviceId);
  if (!service) throw invalid('body/serviceId', 'names no active service of this organisation');
  assertConsistent(input, service);
  return ctx.transaction(async (tx) => {
    const id = await repository.insertIntervention(tx, {
      ...input,
      organisationId: scoped.organisationId,
      caseId,
      createdBy: ctx.actor.id,
    });
    await repository.insertStatusChange(tx, {
      interventionId: id,
      fromStatus: null,
      toStatus: input.status,
      changedBy: ctx.actor.id,
    });
    await recordSiussFlows(tx, id, 'created');
    ctx.audit({ resourceId: id });
    return (await repository.findIntervention(tx, scoped.organisationId, id))!;
  });
}

export async function listInterventions(
  ctx: ServiceContext,
  caseId: string,
  query: z.infer<typeof interventionListQuery>,
) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'read');
  const rows = await repository.listInterventions(ctx.db, ctx.actor, {
    ...query,
    organisationId: scoped.organisationId,
    caseId,
  });
  const page = toPage(rows, query.limit, (row) => row);
  ctx.audit({ ...auditFactsOf(scoped), details: { returnedIds: page.items.map((i) => i.id) } });
  return page;
}

export async function getIntervention(ctx: ServiceContext, id: string) {
  const scoped = await requireInterventionAccess(ctx, id, 'read');
  ctx.audit({ ...auditFactsOf(scoped), resourceId: id });
  return (await repository.findIntervention(ctx.db, scoped.organisationId, id))!;
}

export async function listStatusChanges(ctx: ServiceContext, id: string) {
  const scoped = await requireInterventionAccess(ctx, id, 'read');
  const items = await repository.listStatusChanges(ctx.db, id);
  ctx.audit({ ...auditFactsOf(scoped), resourceId: id, details: { returnedIds: items.map((c) => c.id) } });
  return { items };
}

export async function updateIntervention(
  ctx: ServiceContext,
  id: string,
  expectedVersion: number,
  input: UpdateInterventionInput,
) {
  const scoped = await requireInterventionAccess(ctx, id, 'write');
  const { status, statusReason, ...fields } = input;
  ctx.audit({ ...auditFactsOf(scoped), resourceId: id, details: { changed: Object.keys(input) } });
  const current = (await repository.findIntervention(ctx.db, scoped.organisationId, id))!;
  if (current.version !== expectedVersion) throw staleVersion();
  const change = statusChangeOf(current.status, status, statusReason);
  if (change) ctx.audit({ details: { fromStatus: change.from, toStatus: change.to } });
  // The rules judge the intervention as it would be after the change, not the patch alone.
  assertConsistent({ ...current, ...fields, status: change?.to ?? current.status }, current);
  return ctx.transaction(async (tx) => {
    const updated = await repository.updateIntervention(tx, scoped.organisationId, id, expectedVersion, {
      ...fields,
      ...(change ? { status: change.to } : {}),
    });
    if (!updated) throw staleVersion();
    if (change) {
      await repository.insertStatusChange(tx, {
        interventionId: id,
        fromStatus: change.from,
        toStatus: change.to,
        reason: change.reason,
        changedBy: ctx.actor.id,
      });
    }
    await recordSiussFlows(tx, id, 'updated');
    return (await repository.findIntervention(tx, scoped.organisationId, id))!;
  });
}
