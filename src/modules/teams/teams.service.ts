import type { z } from 'zod';
import { targetOrganisation } from '../../access/organisation-scope.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { invalid, notFound } from '../../shared/errors.js';
import * as repository from './teams.repository.js';
import type { teamBody, updateTeamBody } from './teams.schemas.js';

export async function createTeam(ctx: ServiceContext, input: z.infer<typeof teamBody>) {
  const organisationId = targetOrganisation(ctx.actor, undefined);
  return ctx.transaction((tx) => repository.insertTeam(tx, { ...input, organisationId }));
}

export async function listTeams(ctx: ServiceContext, organisationId: string | undefined) {
  return { items: await repository.listTeams(ctx.db, targetOrganisation(ctx.actor, organisationId)) };
}

export async function updateTeam(ctx: ServiceContext, id: string, expectedVersion: number, input: z.infer<typeof updateTeamBody>) {
  const organisationId = targetOrganisation(ctx.actor, undefined);
  return ctx.transaction(async (tx) => {
    const updated = await repository.updateTeam(tx, organisationId, id, expectedVersion, input);
    if (updated) return updated;
    if (!(await repository.findTeam(tx, organisationId, id))) throw notFound('team');
    throw staleVersion();
  });
}

/** Teams named for a staff member must all be teams of that organisation. */
export async function assertTeamsBelong(ctx: Pick<ServiceContext, 'db'>, organisationId: string, teamIds: string[]) {
  const unique = [...new Set(teamIds)];
  if ((await repository.countTeamsIn(ctx.db, organisationId, unique)) !== unique.length) {
    throw invalid('body/teamIds', 'names a team that does not exist in this organisation');
  }
}
