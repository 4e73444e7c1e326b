import type { z } from 'zod';
import { requireOrganisation } from '../../access/organisation-scope.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { AppError, notFound } from '../../shared/errors.js';
import { normaliseTaxCode } from './siuss.primitives.js';
import * as repository from './siuss.settings.repository.js';
import type { siussSettingsBody } from './siuss.v1.schemas.js';

/** The organisation's SIUSS settings: Ente@CFOperatore, without which no flow can be produced. */
export async function getSettings(ctx: ServiceContext, organisationId: string) {
  requireOrganisation(ctx.actor, organisationId);
  const found = await repository.findSettings(ctx.db, organisationId);
  if (!found) throw notFound('SIUSS settings');
  ctx.audit({ resourceId: organisationId });
  return found;
}

/** Creates the settings, or replaces them given the current version (If-Match). */
export async function putSettings(
  ctx: ServiceContext,
  organisationId: string,
  expectedVersion: number | undefined,
  input: z.infer<typeof siussSettingsBody>,
) {
  requireOrganisation(ctx.actor, organisationId);
  const values = { operatorTaxCode: normaliseTaxCode(input.operatorTaxCode), updatedBy: ctx.actor.id };
  return ctx.transaction(async (tx) => {
    if (!(await repository.findSettings(tx, organisationId))) {
      await repository.insertSettings(tx, { organisationId, ...values });
    } else if (expectedVersion === undefined) {
      throw new AppError('precondition_required', 'Send the ETag you read in an If-Match header.');
    } else if (!(await repository.updateSettings(tx, organisationId, expectedVersion, values))) {
      throw staleVersion();
    }
    ctx.audit({ resourceId: organisationId });
    return (await repository.findSettings(tx, organisationId))!;
  });
}
