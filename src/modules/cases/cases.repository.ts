import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Actor } from '../../access/actor.js';
import {
  activeAssignmentsNewestFirst,
  assignedCaseScope,
  assignedToActor,
  caseScope,
  placeholderSubject,
  scopeValues,
  writesWhatItIsAssigned,
} from '../../access/case-scope.js';
import { assignments, cases, caseSealMembers, caseStatusChanges, staff } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import type { CaseStatus } from '../../shared/domain.js';
import { afterPosition, decodeCursor } from '../../shared/pagination.js';
import { preparedOnce } from '../../platform/database/prepared-queries.js';
import { seenOnlyThroughGrant } from '../citizens/registry-scope.js';

// A nested fragment: in a single-table select list drizzle strips the table name from top-level columns,
// and a bare "id" inside this subquery would name the assignment's id.
const activeCaseManager = sql<string | null>`(${sql`select a.staff_id from ${assignments} a
  where a.case_id = ${cases.id} and a.role = 'case_manager'
  and a.valid_from <= now() and (a.valid_to is null or a.valid_to > now()) limit 1`})`;

/** What a case read answers with (the response schema picks what leaves). */
export const caseColumns = {
  id: cases.id,
  citizenId: cases.citizenId,
  householdId: cases.householdId,
  teamId: cases.teamId,
  userArea: cases.userArea,
  siussArea: cases.siussArea,
  referralSource: cases.referralSource,
  referralDate: cases.referralDate,
  complexity: cases.complexity,
  judicialMeasure: cases.judicialMeasure,
  status: cases.status,
  closureReason: cases.closureReason,
  takenInChargeAt: cases.takenInChargeAt,
  closedAt: cases.closedAt,
  sealed: cases.sealed,
  caseManagerId: activeCaseManager,
  createdBy: cases.createdBy,
  createdAt: cases.createdAt,
  updatedAt: cases.updatedAt,
  version: cases.version,
};

export type CaseValues = typeof cases.$inferInsert;

export async function insertCase(db: DbHandle, values: CaseValues): Promise<string> {
  const [row] = await db.insert(cases).values(values).returning({ id: cases.id });
  return row!.id;
}

export async function insertCaseManager(
  db: DbHandle,
  values: { organisationId: string; caseId: string; staffId: string; createdBy: string },
) {
  await db.insert(assignments).values({ ...values, role: 'case_manager', reason: 'opened the case' });
}

export async function insertStatusChange(db: DbHandle, values: typeof caseStatusChanges.$inferInsert) {
  await db.insert(caseStatusChanges).values(values);
}

/** Call after the scope check (requireCaseAccess): the organisation filter is a second line of defence. */
export async function findCase(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db
    .select(caseColumns)
    .from(cases)
    .where(and(eq(cases.id, id), eq(cases.organisationId, organisationId)));
  return row;
}

interface CaseListFilter {
  status?: CaseStatus;
  teamId?: string;
  userArea?: CaseValues['userArea'];
  assignedToMe?: boolean;
  cursor?: string;
  limit: number;
}

/**
 * The caller's cases, newest first. The query is built once per role and combination of filters present
 * (placeholders carry the values), so the SQL is not assembled again on every page.
 */
export async function listCases(db: DbHandle, actor: Actor, filter: CaseListFilter) {
  if (actor.kind !== 'staff' || !actor.organisationId) return [];
  const position = decodeCursor(filter.cursor);
  const present = { status: !!filter.status, teamId: !!filter.teamId, userArea: !!filter.userArea, cursor: !!position };
  const shape = `cases:list:${actor.role}:${JSON.stringify(present)}:${String(filter.assignedToMe)}`;
  const query = preparedOnce(db, shape, () => buildListQuery(db, actor.role, present, filter.assignedToMe));
  return query.execute({
    ...scopeValues(actor),
    status: filter.status,
    teamId: filter.teamId,
    userArea: filter.userArea,
    cursorAt: position && new Date(position.at),
    cursorId: position?.id,
    limit: filter.limit + 1,
  });
}

function buildListQuery(
  db: DbHandle,
  role: Actor['role'],
  present: { status: boolean; teamId: boolean; userArea: boolean; cursor: boolean },
  assignedToMe: boolean | undefined,
) {
  const subject = placeholderSubject(role);
  const cursor = { at: sql.placeholder('cursorAt'), id: sql.placeholder('cursorId') };
  const filters = [
    present.status ? eq(cases.status, sql.placeholder('status')) : undefined,
    present.teamId ? eq(cases.teamId, sql.placeholder('teamId')) : undefined,
    present.userArea ? eq(cases.userArea, sql.placeholder('userArea')) : undefined,
  ];
  if (assignedToMe === true) {
    // The grant lookup per row cost ~13% of the page's query time (pgbench, 100,000 cases).
    const viaEmergency = writesWhatItIsAssigned.has(role) ? sql<boolean>`false` : seenOnlyThroughGrant(subject);
    const columns = { ...caseColumns, viaEmergency };
    const mine = activeAssignmentsNewestFirst(db, subject, present.cursor ? cursor : undefined);
    return db
      .select(columns)
      .from(mine)
      .innerJoin(cases, eq(cases.id, mine.caseId))
      .where(and(assignedCaseScope(subject), ...filters))
      .orderBy(desc(mine.caseCreatedAt), desc(mine.caseId))
      .limit(sql.placeholder('limit'))
      .prepare('');
  }
  return db
    .select({ ...caseColumns, viaEmergency: seenOnlyThroughGrant(subject) })
    .from(cases)
    .where(
      and(
        caseScope(subject, 'read'),
        ...filters,
        assignedToMe === false ? sql`not ${assignedToActor(subject)}` : undefined,
        present.cursor ? afterPosition(cases.createdAt, cases.id, cursor.at, cursor.id) : undefined,
      ),
    )
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(sql.placeholder('limit'))
    .prepare('');
}

export async function updateCase(
  db: DbHandle,
  id: string,
  expectedVersion: number,
  changes: PgUpdateSetSource<typeof cases>,
) {
  const [row] = await db
    .update(cases)
    .set({ ...changes, updatedAt: new Date(), version: sql`${cases.version} + 1` })
    .where(and(eq(cases.id, id), eq(cases.version, expectedVersion)))
    .returning({ id: cases.id });
  return row;
}

/**
 * Moves the case to `to` if it is still at the version the caller read. Taking in charge keeps the first
 * date (the referral-to-care metric measures the first time); reopening clears the closure.
 */
export async function changeStatus(
  db: DbHandle,
  id: string,
  expectedVersion: number,
  to: CaseStatus,
  closureReason: CaseValues['closureReason'],
) {
  return updateCase(db, id, expectedVersion, {
    status: to,
    closureReason: to === 'closed' ? closureReason : null,
    closedAt: to === 'closed' ? sql`now()` : null,
    ...(to === 'in_charge' ? { takenInChargeAt: sql`coalesce(${cases.takenInChargeAt}, now())` } : {}),
  });
}

export async function listStatusChanges(db: DbHandle, caseId: string) {
  return db
    .select({
      id: caseStatusChanges.id,
      fromStatus: caseStatusChanges.fromStatus,
      toStatus: caseStatusChanges.toStatus,
      closureReason: caseStatusChanges.closureReason,
      note: caseStatusChanges.note,
      changedBy: caseStatusChanges.changedBy,
      changedAt: caseStatusChanges.changedAt,
    })
    .from(caseStatusChanges)
    .where(eq(caseStatusChanges.caseId, caseId))
    .orderBy(asc(caseStatusChanges.changedAt), asc(caseStatusChanges.id));
}

export async function isActiveSocialWorker(
  db: DbHandle,
  organisationId: string,
  staffId: string,
): Promise<boolean> {
  const rows = await db
    .select({ id: staff.id })
    .from(staff)
    .where(
      and(
        eq(staff.id, staffId),
        eq(staff.organisationId, organisationId),
        eq(staff.role, 'social_worker'),
        eq(staff.active, true),
      ),
    );
  return rows.length > 0;
}

export async function countStaffIn(
  db: DbHandle,
  organisationId: string,
  staffIds: string[],
): Promise<number> {
  if (staffIds.length === 0) return 0;
  const rows = await db
    .select({ id: staff.id })
    .from(staff)
    .where(and(inArray(staff.id, staffIds), eq(staff.organisationId, organisationId)));
  return rows.length;
}

/** Case in the organisation, whatever its seal: sealing is the director's, who manages the list itself. */
export async function findCaseInOrganisation(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db
    .select({ id: cases.id, citizenId: cases.citizenId })
    .from(cases)
    .where(and(eq(cases.id, id), eq(cases.organisationId, organisationId)));
  return row;
}

export async function replaceSeal(db: DbHandle, caseId: string, sealed: boolean, staffIds: string[]) {
  await db
    .update(cases)
    .set({ sealed, updatedAt: new Date(), version: sql`${cases.version} + 1` })
    .where(eq(cases.id, caseId));
  await db.delete(caseSealMembers).where(eq(caseSealMembers.caseId, caseId));
  if (staffIds.length > 0)
    await db.insert(caseSealMembers).values(staffIds.map((staffId) => ({ caseId, staffId })));
}
