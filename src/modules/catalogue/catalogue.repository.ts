import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { offices, organisations, services } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import type { UserArea } from '../../shared/domain.js';
import { afterCursor } from '../../shared/pagination.js';

export type ServiceValues = typeof services.$inferInsert;
export type OfficeValues = typeof offices.$inferInsert;
export type ServiceRow = typeof services.$inferSelect;

export async function insertService(db: DbHandle, values: ServiceValues) {
  const [row] = await db.insert(services).values(values).returning();
  return row!;
}

export async function findService(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db
    .select()
    .from(services)
    .where(and(eq(services.id, id), eq(services.organisationId, organisationId)));
  return row;
}

/** Services of one organisation by name, case-insensitively (how a CSV import recognises a service again). */
export async function findServicesByName(db: DbHandle, organisationId: string) {
  const rows = await db
    .select({ id: services.id, name: services.name, version: services.version })
    .from(services)
    .where(eq(services.organisationId, organisationId));
  return new Map(rows.map((r) => [r.name.toLowerCase(), r]));
}

export async function listServices(
  db: DbHandle,
  filter: {
    organisationId: string;
    active?: boolean;
    userArea?: UserArea;
    officeId?: string;
    cursor?: string;
    limit: number;
  },
) {
  const conditions: (SQL | undefined)[] = [
    eq(services.organisationId, filter.organisationId),
    filter.active !== undefined ? eq(services.active, filter.active) : undefined,
    filter.userArea ? sql`${services.userAreas} @> ${JSON.stringify([filter.userArea])}::jsonb` : undefined,
    filter.officeId ? eq(services.officeId, filter.officeId) : undefined,
    afterCursor(services.createdAt, services.id, filter.cursor),
  ];
  return db
    .select()
    .from(services)
    .where(and(...conditions))
    .orderBy(desc(services.createdAt), desc(services.id))
    .limit(filter.limit + 1);
}

export async function updateService(
  db: DbHandle,
  organisationId: string,
  id: string,
  expectedVersion: number,
  changes: Partial<ServiceValues>,
) {
  const [row] = await db
    .update(services)
    .set({ ...changes, updatedAt: new Date(), version: sql`${services.version} + 1` })
    .where(
      and(
        eq(services.id, id),
        eq(services.organisationId, organisationId),
        eq(services.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

export async function insertOffice(db: DbHandle, values: OfficeValues) {
  const [row] = await db.insert(offices).values(values).returning();
  return row!;
}

export async function findOffice(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db
    .select()
    .from(offices)
    .where(and(eq(offices.id, id), eq(offices.organisationId, organisationId)));
  return row;
}

/** Offices of one organisation keyed by lower-cased name (a CSV import names offices rather than ids). */
export async function findOfficesByName(db: DbHandle, organisationId: string) {
  const rows = await db
    .select({ id: offices.id, name: offices.name })
    .from(offices)
    .where(eq(offices.organisationId, organisationId));
  return new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
}

export async function listOffices(
  db: DbHandle,
  filter: { organisationId: string; cursor?: string; limit: number },
) {
  return db
    .select()
    .from(offices)
    .where(
      and(
        eq(offices.organisationId, filter.organisationId),
        afterCursor(offices.createdAt, offices.id, filter.cursor),
      ),
    )
    .orderBy(desc(offices.createdAt), desc(offices.id))
    .limit(filter.limit + 1);
}

export async function updateOffice(
  db: DbHandle,
  organisationId: string,
  id: string,
  expectedVersion: number,
  changes: Partial<OfficeValues>,
) {
  const [row] = await db
    .update(offices)
    .set({ ...changes, updatedAt: new Date(), version: sql`${offices.version} + 1` })
    .where(
      and(
        eq(offices.id, id),
        eq(offices.organisationId, organisationId),
        eq(offices.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

export async function organisationExists(db: DbHandle, id: string): Promise<boolean> {
  const [row] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, id));
  return row !== undefined;
}
