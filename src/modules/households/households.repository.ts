import { and, asc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { householdMembers, households } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import { householdInScope } from '../citizens/registry-scope.js';
import type { HouseholdRelation } from './households.schemas.js';

export async function insertHousehold(db: DbHandle, values: typeof households.$inferInsert): Promise<string> {
  const [row] = await db.insert(households).values(values).returning({ id: households.id });
  return row!.id;
}

export async function findHousehold(db: DbHandle, actor: Actor, id: string) {
  const [row] = await db
    .select({
      id: households.id,
      name: households.name,
      createdAt: households.createdAt,
      version: households.version,
    })
    .from(households)
    .where(and(eq(households.id, id), householdInScope(actor)));
  if (!row) return undefined;
  const members = await db
    .select({
      id: householdMembers.id,
      citizenId: householdMembers.citizenId,
      // Written only through the API, which admits the coded relations alone.
      relation: sql<HouseholdRelation>`${householdMembers.relation}`,
      validFrom: householdMembers.validFrom,
      validTo: householdMembers.validTo,
      createdAt: householdMembers.createdAt,
    })
    .from(householdMembers)
    .where(eq(householdMembers.householdId, id))
    .orderBy(asc(householdMembers.validFrom), asc(householdMembers.createdAt));
  return { ...row, members };
}

/**
 * Takes the household's row lock and bumps its version (its ETag changes with its members), so that two
 * members added at once are checked for overlaps one after the other.
 */
export async function lockAndBumpHousehold(
  db: DbHandle,
  organisationId: string,
  id: string,
): Promise<boolean> {
  const rows = await db
    .update(households)
    .set({ version: sql`${households.version} + 1` })
    .where(and(eq(households.id, id), eq(households.organisationId, organisationId)))
    .returning({ id: households.id });
  return rows.length > 0;
}

/** Whether the citizen is already a member of the household for some day of the period (bounds inclusive). */
export async function membershipOverlaps(
  db: DbHandle,
  member: { householdId: string; citizenId: string; validFrom: string; validTo?: string },
) {
  const rows = await db
    .select({ id: householdMembers.id })
    .from(householdMembers)
    .where(
      and(
        eq(householdMembers.householdId, member.householdId),
        eq(householdMembers.citizenId, member.citizenId),
        sql`daterange(${householdMembers.validFrom}, ${householdMembers.validTo}, '[]') && daterange(${member.validFrom}::date, ${member.validTo ?? null}::date, '[]')`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export async function insertMember(
  db: DbHandle,
  values: typeof householdMembers.$inferInsert,
): Promise<string> {
  const [row] = await db.insert(householdMembers).values(values).returning({ id: householdMembers.id });
  return row!.id;
}

export async function householdInOrganisation(
  db: DbHandle,
  organisationId: string,
  id: string,
): Promise<boolean> {
  const rows = await db
    .select({ id: households.id })
    .from(households)
    .where(and(eq(households.id, id), eq(households.organisationId, organisationId)));
  return rows.length > 0;
}
