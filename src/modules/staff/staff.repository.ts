import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { staff, staffTeams } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import { afterCursor } from '../../shared/pagination.js';

const teamIdsColumn = sql<string[]>`coalesce((select array_agg(st.team_id order by st.team_id) from ${staffTeams} st where st.staff_id = ${staff.id}), '{}')`;
const columns = {
  id: staff.id,
  organisationId: staff.organisationId,
  subject: staff.subject,
  givenName: staff.givenName,
  familyName: staff.familyName,
  role: staff.role,
  profile: staff.profile,
  fte: sql<number>`${staff.fte}::float8`,
  contract: staff.contract,
  active: staff.active,
  createdAt: staff.createdAt,
  version: staff.version,
  teamIds: teamIdsColumn,
};

export type StaffValues = typeof staff.$inferInsert;

export async function insertStaff(db: DbHandle, values: StaffValues, teamIds: string[]) {
  const [row] = await db.insert(staff).values(values).returning({ id: staff.id });
  await replaceTeams(db, row!.id, teamIds);
  return row!.id;
}

export async function replaceTeams(db: DbHandle, staffId: string, teamIds: string[]) {
  await db.delete(staffTeams).where(eq(staffTeams.staffId, staffId));
  const unique = [...new Set(teamIds)];
  if (unique.length > 0) await db.insert(staffTeams).values(unique.map((teamId) => ({ staffId, teamId })));
}

/** organisationId null: a platform admin looking across organisations. */
export async function findStaff(db: DbHandle, organisationId: string | null, id: string) {
  const [row] = await db
    .select(columns)
    .from(staff)
    .where(and(eq(staff.id, id), organisationId ? eq(staff.organisationId, organisationId) : undefined));
  return row;
}

export async function listStaff(
  db: DbHandle,
  filter: { organisationId: string; teamId?: string; role?: StaffValues['role']; active?: boolean; cursor?: string; limit: number },
) {
  const conditions: (SQL | undefined)[] = [
    eq(staff.organisationId, filter.organisationId),
    filter.role ? eq(staff.role, filter.role) : undefined,
    filter.active !== undefined ? eq(staff.active, filter.active) : undefined,
    filter.teamId ? sql`exists (select 1 from ${staffTeams} st where st.staff_id = ${staff.id} and st.team_id = ${filter.teamId})` : undefined,
    afterCursor(staff.createdAt, staff.id, filter.cursor),
  ];
  return db
    .select(columns)
    .from(staff)
    .where(and(...conditions))
    .orderBy(desc(staff.createdAt), desc(staff.id))
    .limit(filter.limit + 1);
}

export async function updateStaff(db: DbHandle, id: string, expectedVersion: number, changes: Partial<StaffValues>) {
  const [row] = await db
    .update(staff)
    .set({ ...changes, updatedAt: new Date(), version: sql`${staff.version} + 1` })
    .where(and(eq(staff.id, id), eq(staff.version, expectedVersion)))
    .returning({ id: staff.id });
  return row;
}

export async function subjectTaken(db: DbHandle, subject: string): Promise<boolean> {
  const { rows } = await db.execute(
    sql`select 1 from staff where subject = ${subject} union all select 1 from api_clients where subject = ${subject} limit 1`,
  );
  return rows.length > 0;
}
