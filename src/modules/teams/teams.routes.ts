import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, ifMatchHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './teams.service.js';
import { team, teamBody, teamList, teamListQuery, updateTeamBody } from './teams.schemas.js';

const tags = ['teams'];

export const teamsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/teams',
    {
      config: { access: 'team:manage', audit: false, idempotent: true },
      schema: { summary: 'Create a team (équipe)', tags, headers: idempotencyHeader, body: teamBody, response: { 201: team, ...problemResponses } },
    },
    async (request, reply) => {
      const created = await service.createTeam(serviceContext(request), request.body);
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/teams',
    {
      config: { access: 'team:read', audit: false },
      schema: { summary: 'List the organisation’s teams', tags, querystring: teamListQuery, response: { 200: teamList, ...problemResponses } },
    },
    async (request) => service.listTeams(serviceContext(request), request.query.organisationId),
  );

  app.patch(
    '/v1/teams/:teamId',
    {
      config: { access: 'team:manage', audit: false },
      schema: {
        summary: 'Rename a team or change its area',
        tags,
        params: idParams('teamId'),
        headers: ifMatchHeader,
        body: updateTeamBody,
        response: { 200: team, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const updated = await service.updateTeam(serviceContext(request), request.params.teamId, expected, request.body);
      setEtag(reply, updated.version);
      return updated;
    },
  );
};
