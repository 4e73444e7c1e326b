import type { z } from 'zod';
import { targetOrganisation } from '../../access/organisation-scope.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { conflict, invalid, notFound } from '../../shared/errors.js';
import { toPage } from '../../shared/pagination.js';
import { assertTeamsBelong } from '../teams/teams.service.js';
import * as repository from './staff.repository.js';
import type { createStaffBody, staffListQuery, updateStaffBody } from './staff.schemas.js';

type CreateStaff = z.infer<typeof createStaffBody>;

export async function createStaff(ctx: ServiceContext, input: CreateStaff) {
  const { organisationId: requested, teamIds, fte, ...fields } = input;
  const creatingPlatformAdmin = input.role === 'platform_admin';
  if (creatingPlatformAdmin && ctx.actor.role !== 'platform_admin') throw invalid('body/role', 'only a platform admin can create a platform admin');
  if (creatingPlatformAdmin && requested) throw invalid('body/organisationId', 'a platform admin belongs to no organisation');
  const organisationId = creatingPlatformAdmin ? null : targetOrganisation(ctx.actor, requested);
  if (organisationId) await assertTeamsBelong(ctx, organisationId, teamIds);
  else if (teamIds.length > 0) throw invalid('body/teamIds', 'a platform admin has no teams');
  return ctx.transaction(async (tx) => {
    if (await repository.subjectTaken(tx, input.subject)) throw conflict('This subject already belongs to a user or client.');
    const id = await repository.insertStaff(tx, { ...fields, organisationId, fte: fte.toFixed(2) }, teamIds);
    ctx.audit({ resourceId: id });
    return (await repository.findStaff(tx, organisationId, id))!;
  });
}

export async function getStaff(ctx: ServiceContext, id: string) {
  const scope = ctx.actor.role === 'platform_admin' ? null : ctx.actor.organisationId;
  const found = await repository.findStaff(ctx.db, scope, id);
  if (!found) throw notFound('staff member');
  ctx.audit({ resourceId: id });
  return found;
}

export async function listStaff(ctx: ServiceContext, query: z.infer<typeof staffListQuery>) {
  const organisationId = targetOrganisation(ctx.actor, query.organisationId);
  const rows = await repository.listStaff(ctx.db, { ...query, organisationId });
  const page = toPage(rows, query.limit, (row) => row);
  ctx.audit({ details: { returnedIds: page.items.map((s) => s.id) } });
  return page;
}

export async function updateStaff(ctx: ServiceContext, id: string, expectedVersion: number, input: z.infer<typeof updateStaffBody>) {
  const scope = ctx.actor.role === 'platform_admin' ? null : ctx.actor.organisationId;
  const existing = await repository.findStaff(ctx.db, scope, id);
  if (!existing) throw notFound('staff member');
  const { teamIds, fte, ...fields } = input;
  if ((input.role === 'platform_admin') !== (existing.role === 'platform_admin') && input.role !== undefined) {
    throw invalid('body/role', 'cannot move a staff member into or out of the platform admin role');
  }
  if (teamIds && existing.organisationId) await assertTeamsBelong(ctx, existing.organisationId, teamIds);
  ctx.audit({ resourceId: id, details: { changed: Object.keys(input) } });
  return ctx.transaction(async (tx) => {
    const changes = { ...fields, ...(fte !== undefined ? { fte: fte.toFixed(2) } : {}) };
    if (!(await repository.updateStaff(tx, id, expectedVersion, changes))) throw staleVersion();
    if (teamIds) await repository.replaceTeams(tx, id, teamIds);
    return (await repository.findStaff(tx, scope, id))!;
  });
}
