import { asc, eq, sql } from 'drizzle-orm';
import { apiClientOrganisations, apiClients, organisations } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';

const columns = {
  id: apiClients.id,
  organisationId: apiClients.organisationId,
  subject: apiClients.subject,
  role: apiClients.role,
  name: apiClients.name,
  active: apiClients.active,
  createdAt: apiClients.createdAt,
  version: apiClients.version,
  servedOrganisationIds: sql<string[]>`coalesce((select array_agg(o.organisation_id order by o.organisation_id) from ${apiClientOrganisations} o where o.api_client_id = ${apiClients.id}), '{}')`,
};

export async function insertApiClient(
  db: DbHandle,
  values: { organisationId: string; subject: string; role: 'regional' | 'siuss'; name: string },
  servedOrganisationIds: string[],
) {
  const [row] = await db.insert(apiClients).values(values).returning({ id: apiClients.id });
  const served = [...new Set(servedOrganisationIds)];
  if (served.length > 0) {
    await db.insert(apiClientOrganisations).values(served.map((organisationId) => ({ apiClientId: row!.id, organisationId })));
  }
  return row!.id;
}

export async function findApiClient(db: DbHandle, id: string) {
  const [row] = await db.select(columns).from(apiClients).where(eq(apiClients.id, id));
  return row;
}

export async function listApiClients(db: DbHandle, organisationId: string) {
  return db.select(columns).from(apiClients).where(eq(apiClients.organisationId, organisationId)).orderBy(asc(apiClients.name), asc(apiClients.id));
}

export async function countOrganisations(db: DbHandle, ids: string[]) {
  if (ids.length === 0) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(organisations)
    .where(sql`${organisations.id} in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`);
  return row!.n;
}
