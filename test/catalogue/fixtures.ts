import { offices, services } from '../../src/db/schema/index.js';
import type { Database } from '../../src/platform/database.js';

/** Catalogue rows written straight to the database, for suites that need a service or an office to exist. */
let counter = 0;

export async function insertOffice(
  db: Database,
  organisationId: string,
  values: Partial<typeof offices.$inferInsert> = {},
) {
  const [row] = await db
    .insert(offices)
    .values({
      organisationId,
      name: `Sede ${++counter}`,
      address: 'Via Roma 1, Milano',
      openingHours: 'lun-ven 9-12',
      ...values,
    })
    .returning();
  return row!;
}

export async function insertService(
  db: Database,
  organisationId: string,
  values: Partial<typeof services.$inferInsert> = {},
) {
  const [row] = await db
    .insert(services)
    .values({
      organisationId,
      name: `Servizio ${++counter}`,
      description: 'Descrizione del servizio',
      siussCode: 'A1.01',
      periodic: true,
      meansTestType: 1,
      ...values,
    })
    .returning();
  return row!;
}
