import { organisationOf } from '../../access/actor.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { ServiceContext } from '../../platform/request-context.js';
import type { DbHandle } from '../../platform/database.js';
import { invalid, notFound } from '../../shared/errors.js';
import { toPage } from '../../shared/pagination.js';
import * as repository from './citizens.repository.js';
import type { CitizenSearchInput, CreateCitizenInput, UpdateCitizenInput } from './citizens.schemas.js';
import { parseFiscalCode } from './fiscal-code.js';

type CitizenRow = NonNullable<Awaited<ReturnType<typeof repository.findCitizen>>>;

/** The schema has already validated the code; this adds the flag the registry keeps with it. */
const fiscalCodeFields = (code: string) => ({
  fiscalCode: code,
  fiscalCodeTemporary: parseFiscalCode(code)!.temporary,
});

/**
 * Registry rows with the cases the caller may see attached. The audit facts name the returned case ids and
 * say whether any of them is seen only through an emergency grant.
 */
async function withVisibleCases(ctx: ServiceContext, db: DbHandle, rows: CitizenRow[]) {
  const visible = await repository.visibleCasesOf(
    db,
    ctx.actor,
    rows.map((r) => r.id),
  );
  const items = rows.map((row) => ({ ...row, cases: visible.filter((c) => c.citizenId === row.id) }));
  return { items, caseIds: visible.map((c) => c.id), emergency: visible.some((c) => c.viaEmergency) };
}

export async function createCitizen(ctx: ServiceContext, input: CreateCitizenInput) {
  const organisationId = organisationOf(ctx.actor);
  return ctx.transaction(async (tx) => {
    const id = await repository.insertCitizen(tx, {
      ...input,
      ...fiscalCodeFields(input.fiscalCode),
      organisationId,
    });
    ctx.audit({ resourceId: id, citizenId: id });
    return { ...(await repository.findCitizen(tx, ctx.actor, id))!, cases: [] };
  });
}

export async function getCitizen(ctx: ServiceContext, id: string) {
  const found = await repository.findCitizen(ctx.db, ctx.actor, id);
  if (!found) throw notFound('citizen');
  const { items, caseIds, emergency } = await withVisibleCases(ctx, ctx.db, [found]);
  ctx.audit({ resourceId: id, citizenId: id, emergency, details: { returnedIds: caseIds } });
  return items[0]!;
}

export async function updateCitizen(
  ctx: ServiceContext,
  id: string,
  expectedVersion: number,
  input: UpdateCitizenInput,
) {
  if (!(await repository.findCitizen(ctx.db, ctx.actor, id, 'write'))) throw notFound('citizen');
  ctx.audit({ resourceId: id, citizenId: id, details: { changed: Object.keys(input) } });
  const changes =
    input.fiscalCode === undefined ? input : { ...input, ...fiscalCodeFields(input.fiscalCode) };
  return ctx.transaction(async (tx) => {
    if (!(await repository.updateCitizen(tx, id, expectedVersion, changes))) throw staleVersion();
    const updated = (await repository.findCitizen(tx, ctx.actor, id))!;
    return (await withVisibleCases(ctx, tx, [updated])).items[0]!;
  });
}

/** The search terms never reach the audit trail or a log: only the ids of what was returned. */
export async function searchCitizens(ctx: ServiceContext, input: CitizenSearchInput) {
  const rows = await repository.searchCitizens(ctx.db, ctx.actor, input);
  const page = toPage(rows, input.limit, (row) => row);
  const { items, caseIds, emergency } = await withVisibleCases(ctx, ctx.db, page.items);
  // A search that found one person is recorded against that person (GDPR art. 15: who looked at me).
  const citizenId = items.length === 1 ? items[0]!.id : null;
  ctx.audit({
    citizenId,
    emergency,
    details: { returnedIds: items.map((c) => c.id), returnedCaseIds: caseIds },
  });
  return { items, nextCursor: page.nextCursor };
}

/** For records that name a citizen (cases, households): the citizen must be one of the organisation's. */
export async function assertCitizenInOrganisation(
  ctx: Pick<ServiceContext, 'db'>,
  organisationId: string,
  citizenId: string,
) {
  if (!(await repository.citizenInOrganisation(ctx.db, organisationId, citizenId))) {
    throw invalid('body/citizenId', 'names no citizen of this organisation');
  }
}
