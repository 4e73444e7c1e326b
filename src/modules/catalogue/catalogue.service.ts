import type { z } from 'zod';
import { organisationOf } from '../../access/actor.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { DbHandle } from '../../platform/database.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { invalid, notFound } from '../../shared/errors.js';
import { toPage } from '../../shared/pagination.js';
import * as repository from './catalogue.repository.js';
import type {
  CreateOfficeInput,
  CreateServiceInput,
  officeListQuery,
  serviceListQuery,
  UpdateOfficeInput,
  UpdateServiceInput,
} from './catalogue.schemas.js';

/**
 * The catalogue belongs to the caller's organisation: an admin manages it, every staff member reads it.
 * Nothing here is personal data, so reads are not audited; changes are (who withdrew a service, and when).
 */

async function assertOfficeBelongs(
  db: DbHandle,
  organisationId: string,
  officeId: string | null | undefined,
) {
  if (officeId && !(await repository.findOffice(db, organisationId, officeId))) {
    throw invalid('body/officeId', 'names no office of this organisation');
  }
}

export async function createService(ctx: ServiceContext, input: CreateServiceInput) {
  const organisationId = organisationOf(ctx.actor);
  await assertOfficeBelongs(ctx.db, organisationId, input.officeId);
  return ctx.transaction(async (tx) => {
    const created = await repository.insertService(tx, { ...input, organisationId });
    ctx.audit({ resourceId: created.id });
    return created;
  });
}

export async function getService(ctx: ServiceContext, id: string) {
  const found = await repository.findService(ctx.db, organisationOf(ctx.actor), id);
  if (!found) throw notFound('service');
  return found;
}

export async function listServices(ctx: ServiceContext, query: z.infer<typeof serviceListQuery>) {
  const rows = await repository.listServices(ctx.db, { ...query, organisationId: organisationOf(ctx.actor) });
  return toPage(rows, query.limit, (row) => row);
}

export async function updateService(
  ctx: ServiceContext,
  id: string,
  expectedVersion: number,
  input: UpdateServiceInput,
) {
  const organisationId = organisationOf(ctx.actor);
  if (!(await repository.findService(ctx.db, organisationId, id))) throw notFound('service');
  ctx.audit({ resourceId: id, details: { changed: Object.keys(input) } });
  await assertOfficeBelongs(ctx.db, organisationId, input.officeId);
  return ctx.transaction(async (tx) => {
    const updated = await repository.updateService(tx, organisationId, id, expectedVersion, input);
    if (!updated) throw staleVersion();
    return updated;
  });
}

/**
 * For other modules (interventions): the service, if it is an active service of the organisation. Withdrawn
 * services keep their existing interventions but take no new ones.
 */
export async function findActiveService(db: DbHandle, organisationId: string, id: string) {
  const found = await repository.findService(db, organisationId, id);
  return found?.active ? found : undefined;
}

export async function createOffice(ctx: ServiceContext, input: CreateOfficeInput) {
  const organisationId = organisationOf(ctx.actor);
  return ctx.transaction(async (tx) => {
    const created = await repository.insertOffice(tx, { ...input, organisationId });
    ctx.audit({ resourceId: created.id });
    return created;
  });
}

export async function getOffice(ctx: ServiceContext, id: string) {
  const found = await repository.findOffice(ctx.db, organisationOf(ctx.actor), id);
  if (!found) throw notFound('office');
  return found;
}

export async function listOffices(ctx: ServiceContext, query: z.infer<typeof officeListQuery>) {
  const rows = await repository.listOffices(ctx.db, { ...query, organisationId: organisationOf(ctx.actor) });
  return toPage(rows, query.limit, (row) => row);
}

export async function updateOffice(
  ctx: ServiceContext,
  id: string,
  expectedVersion: number,
  input: UpdateOfficeInput,
) {
  const organisationId = organisationOf(ctx.actor);
  ctx.audit({ resourceId: id, details: { changed: Object.keys(input) } });
  return ctx.transaction(async (tx) => {
    const updated = await repository.updateOffice(tx, organisationId, id, expectedVersion, input);
    if (updated) return updated;
    if (!(await repository.findOffice(tx, organisationId, id))) throw notFound('office');
    throw staleVersion();
  });
}
