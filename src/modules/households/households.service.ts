import type { z } from 'zod';
import { organisationOf } from '../../access/actor.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { conflict, invalid, notFound } from '../../shared/errors.js';
import { assertCitizenInOrganisation } from '../citizens/citizens.service.js';
import * as repository from './households.repository.js';
import type { AddMemberInput, createHouseholdBody } from './households.schemas.js';

export async function createHousehold(ctx: ServiceContext, input: z.infer<typeof createHouseholdBody>) {
  const organisationId = organisationOf(ctx.actor);
  return ctx.transaction(async (tx) => {
    const id = await repository.insertHousehold(tx, { organisationId, name: input.name ?? null });
    ctx.audit({ resourceId: id });
    return (await repository.findHousehold(tx, ctx.actor, id))!;
  });
}

export async function getHousehold(ctx: ServiceContext, id: string) {
  const found = await repository.findHousehold(ctx.db, ctx.actor, id);
  if (!found) throw notFound('household');
  ctx.audit({ resourceId: id, details: { returnedIds: found.members.map((m) => m.citizenId) } });
  return found;
}

/** A person may belong to several households over time, but to one household only once on any day. */
export async function addMember(ctx: ServiceContext, householdId: string, input: AddMemberInput) {
  const organisationId = organisationOf(ctx.actor);
  if (!(await repository.findHousehold(ctx.db, ctx.actor, householdId))) throw notFound('household');
  ctx.audit({ citizenId: input.citizenId, details: { householdId } });
  await assertCitizenInOrganisation(ctx, organisationId, input.citizenId);
  return ctx.transaction(async (tx) => {
    if (!(await repository.lockAndBumpHousehold(tx, organisationId, householdId)))
      throw notFound('household');
    if (await repository.membershipOverlaps(tx, { householdId, ...input })) {
      throw conflict('This citizen is already a member of the household for part of that period.');
    }
    const memberId = await repository.insertMember(tx, { householdId, ...input });
    ctx.audit({ resourceId: memberId });
    return (await repository.findHousehold(tx, ctx.actor, householdId))!;
  });
}

/** For cases that name a household as beneficiary: it must be one of the organisation's. */
export async function assertHouseholdInOrganisation(
  ctx: Pick<ServiceContext, 'db'>,
  organisationId: string,
  householdId: string,
) {
  if (!(await repository.householdInOrganisation(ctx.db, organisationId, householdId))) {
    throw invalid('body/householdId', 'names no household of this organisation');
  }
}
