import type { z } from 'zod';
import { caseAuditFacts } from '../../access/case-resource.js';
import { requireCaseAccess } from '../../access/case-scope.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { invalid } from '../../shared/errors.js';
import { toPage } from '../../shared/pagination.js';
import * as repository from './assessments.repository.js';
import type { assessmentListQuery, CreateAssessmentInput } from './assessments.schemas.js';

/**
 * Assessments are part of the record: written by whoever may write the case, read by whoever may read it.
 * They are not edited: a new assessment supersedes the last one (the SIUSS flows take the latest).
 */
const todayInItaly = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());

export async function createAssessment(ctx: ServiceContext, caseId: string, input: CreateAssessmentInput) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'write');
  ctx.audit(caseAuditFacts(scoped));
  if (input.assessedOn > todayInItaly()) throw invalid('body/assessedOn', 'must not be in the future');
  if (!input.sina && !input.sinba && !input.text)
    throw invalid('body/text', 'an assessment needs sina, sinba or text');
  return ctx.transaction(async (tx) => {
    const id = await repository.insertAssessment(tx, {
      ...input,
      organisationId: scoped.organisationId,
      caseId,
      authorId: ctx.actor.id,
    });
    ctx.audit({
      resourceId: id,
      details: { structured: [input.sina && 'sina', input.sinba && 'sinba'].filter(Boolean) },
    });
    return (await repository.findAssessment(tx, scoped.organisationId, id))!;
  });
}

export async function listAssessments(
  ctx: ServiceContext,
  caseId: string,
  query: z.infer<typeof assessmentListQuery>,
) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'read');
  const rows = await repository.listAssessments(ctx.db, ctx.actor, {
    ...query,
    organisationId: scoped.organisationId,
    caseId,
  });
  const page = toPage(rows, query.limit, (row) => row);
  ctx.audit({ ...caseAuditFacts(scoped), details: { returnedIds: page.items.map((a) => a.id) } });
  return page;
}
