import type { FastifyInstance } from 'fastify';
import { apiClientsRoutes } from './api-clients/api-clients.routes.js';
import { assessmentsRoutes } from './assessments/assessments.routes.js';
import { assignmentsRoutes } from './assignments/assignments.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { casesRoutes } from './cases/cases.routes.js';
import { catalogueRoutes } from './catalogue/catalogue.routes.js';
import { citizensRoutes } from './citizens/citizens.routes.js';
import { emergencyGrantsRoutes } from './emergency-grants/emergency-grants.routes.js';
import { statusRoutes } from './health/status.routes.js';
import { householdsRoutes } from './households/households.routes.js';
import { indicatorsRoutes } from './indicators/indicators.routes.js';
import { interventionsRoutes } from './interventions/interventions.routes.js';
import { meRoutes } from './me/me.routes.js';
import { metricsRoutes } from './metrics/metrics.routes.js';
import { notesRoutes } from './notes/notes.routes.js';
import { organisationsRoutes } from './organisations/organisations.routes.js';
import { plansRoutes } from './plans/plans.routes.js';
import { publicCatalogueRoutes } from './public-catalogue/public-catalogue.routes.js';
import { siussRoutes } from './siuss/siuss.routes.js';
import { staffRoutes } from './staff/staff.routes.js';
import { teamsRoutes } from './teams/teams.routes.js';

/** Every domain module's routes, in one list: a reader finds any endpoint's module from here. */
export async function registerModules(app: FastifyInstance): Promise<void> {
  await app.register(statusRoutes);
  await app.register(meRoutes);
  await app.register(organisationsRoutes);
  await app.register(teamsRoutes);
  await app.register(staffRoutes);
  await app.register(citizensRoutes);
  await app.register(householdsRoutes);
  await app.register(casesRoutes);
  await app.register(emergencyGrantsRoutes);
  await app.register(apiClientsRoutes);
  await app.register(catalogueRoutes);
  await app.register(publicCatalogueRoutes);
  await app.register(assignmentsRoutes);
  await app.register(notesRoutes);
  await app.register(assessmentsRoutes);
  await app.register(plansRoutes);
  await app.register(interventionsRoutes);
  await app.register(siussRoutes);
  await app.register(auditRoutes);
  await app.register(indicatorsRoutes);
  await app.register(metricsRoutes);
}
