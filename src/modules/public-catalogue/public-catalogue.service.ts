import type { DbHandle } from '../../platform/database.js';
import { notFound } from '../../shared/errors.js';
import * as repository from './public-catalogue.repository.js';

/**
 * The carta dei servizi as published to citizens (SPEC §3): no caller, so no ServiceContext; the Belfiore
 * code names the organisation, and an unknown one does not exist (404).
 */
async function publishedOrganisation(db: DbHandle, belfioreCode: string) {
  const organisation = await repository.findOrganisationByBelfiore(db, belfioreCode);
  if (!organisation) throw notFound('organisation');
  return organisation;
}

export async function publishedServices(db: DbHandle, belfioreCode: string) {
  const { id, ...organisation } = await publishedOrganisation(db, belfioreCode);
  return { organisation, items: await repository.listPublishedServices(db, id) };
}

export async function publishedOffices(db: DbHandle, belfioreCode: string) {
  const { id, ...organisation } = await publishedOrganisation(db, belfioreCode);
  return { organisation, items: await repository.listPublishedOffices(db, id) };
}
