import { requireCaseAccess } from '../../access/case-scope.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { ServiceContext } from '../../platform/request-context.js';
import type { CaseStatus } from '../../shared/domain.js';
import { AppError } from '../../shared/errors.js';
import * as repository from './cases.repository.js';
import type { StatusChangeInput } from './cases.schemas.js';
import { auditFactsOf } from './cases.service.js';

/** SPEC §3: referred → open → in_charge → closed, with shortcuts; a closed case is reopened as in_charge. */
const allowedTransitions: Record<CaseStatus, readonly CaseStatus[]> = {
  referred: ['open', 'in_charge', 'closed'],
  open: ['in_charge', 'closed'],
  in_charge: ['closed'],
  closed: ['in_charge'],
};

export const isAllowedTransition = (from: CaseStatus, to: CaseStatus) =>
  allowedTransitions[from].includes(to);

const needsCaseManager = () =>
  new AppError('invalid_transition', 'A case can be taken in charge only with an active case manager.');

/** The deferred database rule (migration 0001) is the one check: no window between checking and committing. */
function violatesCaseManagerRule(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { constraint?: unknown }).constraint === 'in_charge_needs_case_manager') return true;
  }
  return false;
}

export async function changeStatus(
  ctx: ServiceContext,
  caseId: string,
  expectedVersion: number,
  input: StatusChangeInput,
) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'write');
  const from = scoped.status as CaseStatus;
  ctx.audit({
    ...auditFactsOf(scoped),
    details: { fromStatus: from, toStatus: input.status, closureReason: input.closureReason ?? null },
  });
  if (scoped.version !== expectedVersion) throw staleVersion();
  if (!isAllowedTransition(from, input.status)) {
    throw new AppError('invalid_transition', `A case cannot go from ${from} to ${input.status}.`);
  }
  try {
    return await ctx.transaction(async (tx) => {
      if (
        !(await repository.changeStatus(
          tx,
          caseId,
          expectedVersion,
          input.status,
          input.closureReason ?? null,
        ))
      )
        throw staleVersion();
      await repository.insertStatusChange(tx, {
        caseId,
        fromStatus: from,
        toStatus: input.status,
        closureReason: input.closureReason ?? null,
        note: input.note ?? null,
        changedBy: ctx.actor.id,
      });
      return (await repository.findCase(tx, scoped.organisationId, caseId))!;
    });
  } catch (error) {
    throw violatesCaseManagerRule(error) ? needsCaseManager() : error;
  }
}

export async function listStatusChanges(ctx: ServiceContext, caseId: string) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'read');
  const items = await repository.listStatusChanges(ctx.db, caseId);
  ctx.audit({ ...auditFactsOf(scoped), details: { returnedIds: items.map((c) => c.id) } });
  return { items };
}
