import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { teams } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';

export async function insertTeam(db: DbHandle, values: { organisationId: string; name: string; area: string }) {
  const [row] = await db.insert(teams).values(values).returning();
  return row!;
}

export async function findTeam(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db.select().from(teams).where(and(eq(teams.id, id), eq(teams.organisationId, organisationId)));
  return row;
}

export async function listTeams(db: DbHandle, organisationId: string) {
  return db.select().from(teams).where(eq(teams.organisationId, organisationId)).orderBy(asc(teams.name), asc(teams.id));
}

/** How many of `ids` are teams of the organisation (to validate a staff member's teams). */
export async function countTeamsIn(db: DbHandle, organisationId: string, ids: string[]) {
  if (ids.length === 0) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(teams)
    .where(and(eq(teams.organisationId, organisationId), inArray(teams.id, ids)));
  return row!.n;
}

export async function updateTeam(db: DbHandle, organisationId: string, id: string, expectedVersion: number, changes: { name?: string; area?: string }) {
  const [row] = await db
    .update(teams)
    .set({ ...changes, updatedAt: new Date(), version: sql`${teams.version} + 1` })
    .where(and(eq(teams.id, id), eq(teams.organisationId, organisationId), eq(teams.version, expectedVersion)))
    .returning();
  return row;
}
