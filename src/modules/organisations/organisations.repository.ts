import { asc, eq, sql } from 'drizzle-orm';
import { organisationPopulations, organisations, type CaseloadWeights } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';

export async function insertOrganisation(db: DbHandle, values: { name: string; belfioreCode: string; istatCode: string }) {
  const [row] = await db.insert(organisations).values(values).returning();
  return row!;
}

export async function findOrganisation(db: DbHandle, id: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  if (!row) return undefined;
  const populations = await db
    .select({ year: organisationPopulations.year, residents: organisationPopulations.residents })
    .from(organisationPopulations)
    .where(eq(organisationPopulations.organisationId, id))
    .orderBy(asc(organisationPopulations.year));
  return { ...row, caseloadThreshold: Number(row.caseloadThreshold), populations };
}

export async function updateOrganisation(
  db: DbHandle,
  id: string,
  expectedVersion: number,
  changes: { name?: string; caseloadWeights?: CaseloadWeights; caseloadThreshold?: string },
) {
  const [row] = await db
    .update(organisations)
    .set({ ...changes, updatedAt: new Date(), version: sql`${organisations.version} + 1` })
    .where(sql`${organisations.id} = ${id} and ${organisations.version} = ${expectedVersion}`)
    .returning({ id: organisations.id });
  return row;
}

export async function upsertPopulation(db: DbHandle, organisationId: string, year: number, residents: number) {
  await db
    .insert(organisationPopulations)
    .values({ organisationId, year, residents })
    .onConflictDoUpdate({
      target: [organisationPopulations.organisationId, organisationPopulations.year],
      set: { residents, updatedAt: new Date() },
    });
}
