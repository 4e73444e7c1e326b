import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { caseScope, type CaseAccessMode } from '../../access/case-scope.js';
import { cases, citizens } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import { afterCursor } from '../../shared/pagination.js';
import { citizenInScope, seenOnlyThroughGrant } from './registry-scope.js';

const columns = {
  id: citizens.id,
  fiscalCode: citizens.fiscalCode,
  fiscalCodeTemporary: citizens.fiscalCodeTemporary,
  givenName: citizens.givenName,
  familyName: citizens.familyName,
  sex: citizens.sex,
  birthDate: citizens.birthDate,
  birthPlace: citizens.birthPlace,
  citizenship: citizens.citizenship,
  residence: citizens.residence,
  domicile: citizens.domicile,
  contacts: citizens.contacts,
  createdAt: citizens.createdAt,
  updatedAt: citizens.updatedAt,
  version: citizens.version,
};

export type CitizenValues = typeof citizens.$inferInsert;

export async function insertCitizen(db: DbHandle, values: CitizenValues): Promise<string> {
  const [row] = await db.insert(citizens).values(values).returning({ id: citizens.id });
  return row!.id;
}

export async function findCitizen(db: DbHandle, actor: Actor, id: string, mode: CaseAccessMode = 'read') {
  const [row] = await db
    .select(columns)
    .from(citizens)
    .where(and(eq(citizens.id, id), citizenInScope(actor, mode)));
  return row;
}

export async function searchCitizens(
  db: DbHandle,
  actor: Actor,
  search: {
    fiscalCode?: string;
    familyName?: string;
    givenName?: string;
    birthDate?: string;
    cursor?: string;
    limit: number;
  },
) {
  // Names match whole and case-insensitively, on the (organisation, lower(family), lower(given)) index.
  const conditions: (SQL | undefined)[] = [
    citizenInScope(actor),
    search.fiscalCode !== undefined ? eq(citizens.fiscalCode, search.fiscalCode) : undefined,
    search.familyName !== undefined
      ? sql`lower(${citizens.familyName}) = lower(${search.familyName})`
      : undefined,
    search.givenName !== undefined
      ? sql`lower(${citizens.givenName}) = lower(${search.givenName})`
      : undefined,
    search.birthDate !== undefined ? eq(citizens.birthDate, search.birthDate) : undefined,
    afterCursor(citizens.createdAt, citizens.id, search.cursor),
  ];
  return db
    .select(columns)
    .from(citizens)
    .where(and(...conditions))
    .orderBy(desc(citizens.createdAt), desc(citizens.id))
    .limit(search.limit + 1);
}

/** The cases of these citizens that the actor may see, and nothing about the others. */
export async function visibleCasesOf(db: DbHandle, actor: Actor, citizenIds: string[]) {
  if (citizenIds.length === 0) return [];
  return db
    .select({
      id: cases.id,
      citizenId: cases.citizenId,
      status: cases.status,
      userArea: cases.userArea,
      teamId: cases.teamId,
      viaEmergency: seenOnlyThroughGrant(actor),
    })
    .from(cases)
    .where(and(inArray(cases.citizenId, citizenIds), caseScope(actor, 'read')))
    .orderBy(desc(cases.createdAt), desc(cases.id));
}

export async function updateCitizen(
  db: DbHandle,
  id: string,
  expectedVersion: number,
  changes: Partial<CitizenValues>,
) {
  const [row] = await db
    .update(citizens)
    .set({ ...changes, updatedAt: new Date(), version: sql`${citizens.version} + 1` })
    .where(and(eq(citizens.id, id), eq(citizens.version, expectedVersion)))
    .returning({ id: citizens.id });
  return row;
}

export async function citizenInOrganisation(
  db: DbHandle,
  organisationId: string,
  id: string,
): Promise<boolean> {
  const rows = await db
    .select({ id: citizens.id })
    .from(citizens)
    .where(and(eq(citizens.id, id), eq(citizens.organisationId, organisationId)));
  return rows.length > 0;
}
