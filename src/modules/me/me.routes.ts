import { z } from 'zod';
import { eq, inArray } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { permissionsOf } from '../../access/permissions.js';
import { organisations, staff, teams } from '../../db/schema/index.js';
import { requireActor } from '../../platform/access-gate.js';
import { roles } from '../../shared/domain.js';
import { problemResponses, uuid } from '../../shared/schemas.js';

const me = z
  .object({
    id: uuid,
    kind: z.enum(['staff', 'client']),
    subject: z.string(),
    role: z.enum(roles),
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    organisation: z.object({ id: uuid, name: z.string(), belfioreCode: z.string() }).nullable(),
    teams: z.array(z.object({ id: uuid, name: z.string() })),
    permissions: z.array(z.string()),
  })
  .meta({ id: 'Me' });

/** GET /v1/me: the caller as the service sees it — the front end builds its menus from `permissions`. */
export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/me',
    {
      config: { access: 'authenticated', audit: false },
      schema: { summary: 'The caller’s record, role, teams, organisation and permissions', tags: ['me'], response: { 200: me, ...problemResponses } },
    },
    async (request) => {
      const actor = requireActor(request);
      const [person] = actor.kind === 'staff'
        ? await app.db.select({ givenName: staff.givenName, familyName: staff.familyName }).from(staff).where(eq(staff.id, actor.id))
        : [];
      const [organisation] = actor.organisationId
        ? await app.db
            .select({ id: organisations.id, name: organisations.name, belfioreCode: organisations.belfioreCode })
            .from(organisations)
            .where(eq(organisations.id, actor.organisationId))
        : [];
      const myTeams = actor.teamIds.length > 0
        ? await app.db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, actor.teamIds))
        : [];
      return {
        id: actor.id,
        kind: actor.kind,
        subject: actor.subject,
        role: actor.role,
        givenName: person?.givenName ?? null,
        familyName: person?.familyName ?? null,
        organisation: organisation ?? null,
        teams: myTeams,
        permissions: permissionsOf(actor.role),
      };
    },
  );
};
