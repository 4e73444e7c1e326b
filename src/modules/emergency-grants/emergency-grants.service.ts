import type { z } from 'zod';
import { organisationOf } from '../../access/actor.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { conflict, notFound } from '../../shared/errors.js';
import { toPage } from '../../shared/pagination.js';
import * as repository from './emergency-grants.repository.js';
import type { GrantListQuery, reviewGrantBody } from './emergency-grants.schemas.js';

/**
 * Break-the-glass (SPEC §4): a social worker or coordinator who is not on a case may read it for a few
 * hours, after writing down why. The grant is read-only (the case scope never derives write access from
 * it), flagged in the audit trail, and listed for the case's coordinators and the directors to review.
 */
export async function createGrant(ctx: ServiceContext, caseId: string, reason: string) {
  const found = await repository.findCaseForGrant(ctx.db, ctx.actor, caseId);
  if (!found) throw notFound('case');
  ctx.audit({ caseId, citizenId: found.citizenId, emergency: true, reason });
  // A grant is for a case one cannot otherwise see; a needless one would only add noise to the review.
  if (found.readable) throw conflict('You can already read this case; no emergency access is needed.');
  return ctx.transaction(async (tx) => {
    const id = await repository.insertGrant(tx, {
      organisationId: organisationOf(ctx.actor),
      caseId,
      staffId: ctx.actor.id,
      reason,
      hours: ctx.config.access.emergencyGrantHours,
    });
    ctx.audit({ resourceId: id });
    return (await repository.findGrant(tx, id))!;
  });
}

export async function listGrants(ctx: ServiceContext, query: GrantListQuery) {
  const rows = await repository.listGrants(ctx.db, ctx.actor, query);
  const page = toPage(rows, query.limit, (row) => row);
  ctx.audit({ details: { returnedIds: page.items.map((g) => g.id) } });
  return page;
}

export async function reviewGrant(ctx: ServiceContext, id: string, input: z.infer<typeof reviewGrantBody>) {
  const grant = await repository.findGrantForReviewer(ctx.db, ctx.actor, id);
  if (!grant) throw notFound('emergency grant');
  ctx.audit({ resourceId: id, caseId: grant.caseId, citizenId: grant.citizenId });
  if (grant.staffId === ctx.actor.id) throw conflict('A grant is reviewed by someone other than its holder.');
  return ctx.transaction(async (tx) => {
    if (!(await repository.markReviewed(tx, id, ctx.actor.id, input.note ?? null)))
      throw conflict('This grant has already been reviewed.');
    return (await repository.findGrantForReviewer(tx, ctx.actor, id))!;
  });
}
