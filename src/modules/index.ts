import type { FastifyInstance } from 'fastify';
import { apiClientsRoutes } from './api-clients/api-clients.routes.js';
import { statusRoutes } from './health/status.routes.js';
import { meRoutes } from './me/me.routes.js';
import { organisationsRoutes } from './organisations/organisations.routes.js';
import { staffRoutes } from './staff/staff.routes.js';
import { teamsRoutes } from './teams/teams.routes.js';

/** Every domain module's routes, in one list: a reader finds any endpoint's module from here. */
export async function registerModules(app: FastifyInstance): Promise<void> {
  await app.register(statusRoutes);
  await app.register(meRoutes);
  await app.register(organisationsRoutes);
  await app.register(teamsRoutes);
  await app.register(staffRoutes);
  await app.register(apiClientsRoutes);
}
