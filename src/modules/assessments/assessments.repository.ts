import { and, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { caseScope } from '../../access/case-scope.js';
import { assessments, cases } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import type { SinaAssessmentData, SinbaAssessmentData } from '../siuss/siuss.assessment-data.js';
import { afterCursor } from '../../shared/pagination.js';

const columns = {
  id: assessments.id,
  caseId: assessments.caseId,
  assessedOn: assessments.assessedOn,
  instrument: assessments.instrument,
  source: assessments.source,
  // Written through the schemas of siuss.assessment-data.ts, so read back as those types.
  sina: sql<SinaAssessmentData | null>`${assessments.sina}`,
  sinba: sql<SinbaAssessmentData | null>`${assessments.sinba}`,
  text: assessments.text,
  authorId: assessments.authorId,
  createdAt: assessments.createdAt,
};

export async function insertAssessment(db: DbHandle, values: typeof assessments.$inferInsert) {
  const [row] = await db.insert(assessments).values(values).returning({ id: assessments.id });
  return row!.id;
}

export async function findAssessment(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db
    .select(columns)
    .from(assessments)
    .where(and(eq(assessments.id, id), eq(assessments.organisationId, organisationId)));
  return row;
}

/** The case's assessments, newest first; the join repeats the case scope so the database enforces it too. */
export async function listAssessments(
  db: DbHandle,
  actor: Actor,
  filter: { organisationId: string; caseId: string; cursor?: string; limit: number },
) {
  return db
    .select(columns)
    .from(assessments)
    .innerJoin(cases, and(eq(cases.id, assessments.caseId), caseScope(actor, 'read')))
    .where(
      and(
        eq(assessments.organisationId, filter.organisationId),
        eq(assessments.caseId, filter.caseId),
        afterCursor(assessments.createdAt, assessments.id, filter.cursor),
      ),
    )
    .orderBy(desc(assessments.createdAt), desc(assessments.id))
    .limit(filter.limit + 1);
}
