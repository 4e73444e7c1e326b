import type { DbHandle } from '../platform/database.js';
import { AppError, notFound } from '../shared/errors.js';
import type { Actor } from './actor.js';
import { requireCaseAccess, type CaseAccessMode, type ScopedCase } from './case-scope.js';

/**
 * Resources addressed by their own id (an assignment, a plan) live inside a case and follow its scope.
 * Outside it they get the same 404 as an id that does not exist — naming the resource, not the case — so
 * neither the status nor the message tells the two apart.
 */
export async function requireCaseAccessFor(
  db: DbHandle,
  actor: Actor,
  caseId: string | undefined,
  mode: CaseAccessMode,
  resource: string,
): Promise<ScopedCase> {
  if (!caseId) throw notFound(resource);
  try {
    return await requireCaseAccess(db, actor, caseId, mode);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') throw notFound(resource);
    throw error;
  }
}

/** The facts every case-bound audit event carries (ids only), from the scope check's answer. */
export const caseAuditFacts = (scoped: Pick<ScopedCase, 'id' | 'citizenId' | 'viaEmergency'>) => ({
  caseId: scoped.id,
  citizenId: scoped.citizenId,
  emergency: scoped.viaEmergency,
});
