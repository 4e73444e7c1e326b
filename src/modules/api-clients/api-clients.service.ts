import type { z } from 'zod';
import { targetOrganisation } from '../../access/organisation-scope.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { conflict, invalid } from '../../shared/errors.js';
import { subjectTaken } from '../staff/staff.repository.js';
import * as repository from './api-clients.repository.js';
import type { createApiClientBody } from './api-clients.schemas.js';

export async function createApiClient(ctx: ServiceContext, input: z.infer<typeof createApiClientBody>) {
  const organisationId = targetOrganisation(ctx.actor, input.organisationId);
  const served = [...new Set(input.servedOrganisationIds)];
  if (served.length > 0) {
    if (ctx.actor.role !== 'platform_admin') throw invalid('body/servedOrganisationIds', 'only a platform admin can let a client serve other organisations');
    if (input.role !== 'regional') throw invalid('body/servedOrganisationIds', 'only regional clients serve several organisations');
    if ((await repository.countOrganisations(ctx.db, served)) !== served.length) throw invalid('body/servedOrganisationIds', 'names an unknown organisation');
  }
  return ctx.transaction(async (tx) => {
    if (await subjectTaken(tx, input.subject)) throw conflict('This subject already belongs to a user or client.');
    const id = await repository.insertApiClient(tx, { organisationId, subject: input.subject, role: input.role, name: input.name }, served);
    return (await repository.findApiClient(tx, id))!;
  });
}

export async function listApiClients(ctx: ServiceContext, organisationId: string | undefined) {
  return { items: await repository.listApiClients(ctx.db, targetOrganisation(ctx.actor, organisationId)) };
}
