import type { z } from 'zod';
import { requireOrganisation } from '../../access/organisation-scope.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { notFound } from '../../shared/errors.js';
import * as repository from './organisations.repository.js';
import type { createOrganisationBody, updateOrganisationBody } from './organisations.schemas.js';

export async function createOrganisation(ctx: ServiceContext, input: z.infer<typeof createOrganisationBody>) {
  return ctx.transaction(async (tx) => {
    const created = await repository.insertOrganisation(tx, input);
    return (await repository.findOrganisation(tx, created.id))!;
  });
}

export async function getOrganisation(ctx: ServiceContext, id: string) {
  requireOrganisation(ctx.actor, id);
  const found = await repository.findOrganisation(ctx.db, id);
  if (!found) throw notFound('organisation');
  return found;
}

export async function updateOrganisation(
  ctx: ServiceContext,
  id: string,
  expectedVersion: number,
  input: z.infer<typeof updateOrganisationBody>,
) {
  requireOrganisation(ctx.actor, id);
  return ctx.transaction(async (tx) => {
    const { caseloadThreshold, ...rest } = input;
    const changes = { ...rest, ...(caseloadThreshold !== undefined ? { caseloadThreshold: String(caseloadThreshold) } : {}) };
    if (!(await repository.updateOrganisation(tx, id, expectedVersion, changes))) {
      if (!(await repository.findOrganisation(tx, id))) throw notFound('organisation');
      throw staleVersion();
    }
    return (await repository.findOrganisation(tx, id))!;
  });
}

export async function setPopulation(ctx: ServiceContext, id: string, year: number, residents: number) {
  requireOrganisation(ctx.actor, id);
  return ctx.transaction(async (tx) => {
    if (!(await repository.findOrganisation(tx, id))) throw notFound('organisation');
    await repository.upsertPopulation(tx, id, year, residents);
    return (await repository.findOrganisation(tx, id))!;
  });
}
