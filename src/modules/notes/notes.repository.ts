import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { caseScope } from '../../access/case-scope.js';
import { noteVisibleTo, restrictedNotesVisibleTo } from '../../access/note-visibility.js';
import { cases, notes, noteVersions } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import { afterCursor } from '../../shared/pagination.js';

/**
 * Every query that returns a note or its text joins the case under the case scope and adds the note
 * visibility rule (src/access/note-visibility.ts): a restricted note cannot leave through a forgotten check.
 */
const visibleNotes = (actor: Actor) =>
  and(eq(cases.id, notes.caseId), caseScope(actor, 'read'), noteVisibleTo(actor));

const columns = {
  id: notes.id,
  caseId: notes.caseId,
  kind: notes.kind,
  occurredAt: notes.occurredAt,
  confidentiality: notes.confidentiality,
  authorId: notes.authorId,
  text: noteVersions.text,
  version: notes.currentVersion,
  createdAt: notes.createdAt,
  updatedAt: noteVersions.createdAt,
};

const currentVersion = and(eq(noteVersions.noteId, notes.id), eq(noteVersions.version, notes.currentVersion));

export async function insertNote(db: DbHandle, values: typeof notes.$inferInsert, text: string) {
  const [row] = await db.insert(notes).values(values).returning({ id: notes.id });
  await db.insert(noteVersions).values({ noteId: row!.id, version: 1, text, authorId: values.authorId });
  return row!.id;
}

export async function findNote(
  db: DbHandle,
  actor: Actor,
  key: { organisationId: string; caseId: string; noteId: string },
) {
  const [row] = await db
    .select(columns)
    .from(notes)
    .innerJoin(cases, visibleNotes(actor))
    .innerJoin(noteVersions, currentVersion)
    .where(
      and(
        eq(notes.id, key.noteId),
        eq(notes.caseId, key.caseId),
        eq(notes.organisationId, key.organisationId),
      ),
    );
  return row;
}

export async function listNotes(
  db: DbHandle,
  actor: Actor,
  filter: { organisationId: string; caseId: string; cursor?: string; limit: number },
) {
  return db
    .select(columns)
    .from(notes)
    .innerJoin(cases, visibleNotes(actor))
    .innerJoin(noteVersions, currentVersion)
    .where(
      and(
        eq(notes.organisationId, filter.organisationId),
        eq(notes.caseId, filter.caseId),
        afterCursor(notes.createdAt, notes.id, filter.cursor),
      ),
    )
    .orderBy(desc(notes.createdAt), desc(notes.id))
    .limit(filter.limit + 1);
}

/** Every version of a note, oldest first: a note has a handful, so the list is not paginated. */
export async function listVersions(
  db: DbHandle,
  actor: Actor,
  key: { organisationId: string; caseId: string; noteId: string },
) {
  return db
    .select({
      version: noteVersions.version,
      text: noteVersions.text,
      reason: noteVersions.reason,
      authorId: noteVersions.authorId,
      createdAt: noteVersions.createdAt,
    })
    .from(noteVersions)
    .innerJoin(notes, eq(notes.id, noteVersions.noteId))
    .innerJoin(cases, visibleNotes(actor))
    .where(
      and(
        eq(notes.id, key.noteId),
        eq(notes.caseId, key.caseId),
        eq(notes.organisationId, key.organisationId),
      ),
    )
    .orderBy(asc(noteVersions.version));
}

/**
 * A correction: the next version, only if the note is still at the version the corrector read. The
 * conditional update serialises concurrent corrections; the old text stays in its own row.
 */
export async function addVersion(
  db: DbHandle,
  noteId: string,
  expectedVersion: number,
  version: { text: string; reason: string; authorId: string },
) {
  const [row] = await db
    .update(notes)
    .set({ currentVersion: sql`${notes.currentVersion} + 1` })
    .where(and(eq(notes.id, noteId), eq(notes.currentVersion, expectedVersion)))
    .returning({ version: notes.currentVersion });
  if (!row) return undefined;
  await db.insert(noteVersions).values({ noteId, version: row.version, ...version });
  return row.version;
}

/** Whether this actor may read — and so write — the restricted notes of a case. */
export async function mayUseRestrictedNotes(db: DbHandle, actor: Actor, caseId: string): Promise<boolean> {
  const rows = await db
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.id, caseId), caseScope(actor, 'read'), restrictedNotesVisibleTo(actor)));
  return rows.length > 0;
}
