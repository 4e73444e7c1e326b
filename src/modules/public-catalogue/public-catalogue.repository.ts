import { and, asc, eq } from 'drizzle-orm';
import { offices, organisations, services } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';

export async function findOrganisationByBelfiore(db: DbHandle, belfioreCode: string) {
  const [row] = await db
    .select({ id: organisations.id, belfioreCode: organisations.belfioreCode, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.belfioreCode, belfioreCode));
  return row;
}

/** Only active services, and only the columns a citizen may see. */
export async function listPublishedServices(db: DbHandle, organisationId: string) {
  return db
    .select({
      id: services.id,
      name: services.name,
      description: services.description,
      eligibility: services.eligibility,
      howToApply: services.howToApply,
      officeId: services.officeId,
      userAreas: services.userAreas,
      siussCode: services.siussCode,
      periodic: services.periodic,
      meansTestType: services.meansTestType,
    })
    .from(services)
    .where(and(eq(services.organisationId, organisationId), eq(services.active, true)))
    .orderBy(asc(services.name), asc(services.id));
}

export async function listPublishedOffices(db: DbHandle, organisationId: string) {
  return db
    .select({
      id: offices.id,
      name: offices.name,
      address: offices.address,
      openingHours: offices.openingHours,
      phone: offices.phone,
      email: offices.email,
      accessibilityNotes: offices.accessibilityNotes,
    })
    .from(offices)
    .where(eq(offices.organisationId, organisationId))
    .orderBy(asc(offices.name), asc(offices.id));
}
