import { and, eq, sql } from 'drizzle-orm';
import { siussSettings } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';

export async function findSettings(db: DbHandle, organisationId: string) {
  const [row] = await db.select().from(siussSettings).where(eq(siussSettings.organisationId, organisationId));
  return row;
}

export async function insertSettings(
  tx: DbHandle,
  values: { organisationId: string; operatorTaxCode: string; updatedBy: string },
) {
  await tx.insert(siussSettings).values(values);
}

export async function updateSettings(
  tx: DbHandle,
  organisationId: string,
  expectedVersion: number,
  changes: { operatorTaxCode: string; updatedBy: string },
) {
  const [row] = await tx
    .update(siussSettings)
    .set({ ...changes, updatedAt: new Date(), version: sql`${siussSettings.version} + 1` })
    .where(and(eq(siussSettings.organisationId, organisationId), eq(siussSettings.version, expectedVersion)))
    .returning({ organisationId: siussSettings.organisationId });
  return row;
}
