import type { UserArea } from '../../shared/domain.js';
import { familyNames, femaleNames, maleNames, serviceTemplates, teamTemplates, type Municipality } from './italian-data.js';
import type { Random } from './random.js';
import type { Tables } from './tables.js';

/**
 * One synthetic organisation's fixed part: the organisation, its resident population, four teams, its staff,
 * offices and service catalogue. Staff subjects are `seed-<organisation number>-<n>` in a fixed layout, so a
 * benchmark can mint a token for a known role without asking the database:
 * n = 1 director, 2 admin, 3 auditor, 4 elected official, 5–8 the coordinators of the four teams, then social
 * workers, then educators.
 */
export interface Worker {
  id: string;
  subject: string;
  active: boolean;
  /** Relative share of new cases: FTE times a personal factor, so caseloads are uneven as in real services. */
  load: number;
}

export interface TeamContext {
  id: string;
  userAreas: readonly UserArea[];
  coordinatorId: string;
  socialWorkers: Worker[];
  educators: Worker[];
}

export interface OrganisationContext {
  index: number;
  id: string;
  municipality: Municipality;
  teams: TeamContext[];
  teamOfArea: Map<UserArea, TeamContext>;
  servicesByArea: Map<UserArea, { id: string; template: (typeof serviceTemplates)[number] }[]>;
  subjects: { director: string; admin: string; auditor: string; electedOfficial: string; coordinators: string[] };
}

export interface OrganisationPlan {
  index: number;
  municipality: Municipality;
  cases: number;
  staff: number;
}

/** Fixed roles (director, admin, auditor, elected official) and one coordinator per team. */
export const fixedStaffPerOrganisation = 4 + teamTemplates.length;
/** The fewest case workers an organisation can run with: two social workers and an educator per team. */
export const minimumStaffPerOrganisation = fixedStaffPerOrganisation + 3 * teamTemplates.length;

const socialWorkerTeamWeights = [30, 25, 18, 27];
const educatorTeamWeights = [50, 5, 30, 15];

const iso = (ms: number) => new Date(ms).toISOString();

export function generateOrganisation(plan: OrganisationPlan, rng: Random, asOf: number, t: Tables): OrganisationContext {
  const { municipality } = plan;
  const id = rng.uuid();
  const founded = iso(asOf - 11 * 365 * 86_400_000);
  t.organisations.add(id, `Comune di ${municipality.name}`, municipality.belfiore, municipality.istat, founded, founded);
  const year = new Date(asOf).getUTCFullYear();
  for (let y = year - 4; y <= year; y++) {
    t.organisationPopulations.add(id, y, Math.round(municipality.residents * (1 + (y - year) * rng.next() * 0.004)));
  }

  const teams: TeamContext[] = teamTemplates.map((template) => {
    const teamId = rng.uuid();
    t.teams.add(teamId, id, template.name, template.area, founded, founded);
    return { id: teamId, userAreas: template.userAreas, coordinatorId: '', socialWorkers: [], educators: [] };
  });

  let n = 0;
  const permanentShare = 0.55 + rng.next() * 0.4;
  const addStaff = (role: string, profile: string, active = true) => {
    const staffId = rng.uuid();
    const subject = `seed-${plan.index}-${++n}`;
    const female = rng.chance(0.7);
    const fte = role === 'elected_official' ? 0 : rng.weighted([1, 0.83, 0.67, 0.5], [70, 10, 10, 10]);
    const contract = ['director', 'coordinator', 'admin', 'auditor'].includes(role) || rng.chance(permanentShare) ? 'permanent' : rng.weighted(['fixed_term', 'agency'], [4, 1]);
    t.staff.add(staffId, id, subject, rng.pick(female ? femaleNames : maleNames), rng.pick(familyNames), role, profile, fte.toFixed(2), role === 'elected_official' ? 'other' : contract, active, founded, founded);
    return { id: staffId, subject, fte };
  };

  const director = addStaff('director', 'social_worker');
  const admin = addStaff('admin', 'administrative');
  const auditor = addStaff('auditor', 'other');
  const electedOfficial = addStaff('elected_official', 'other');
  const coordinators = teams.map((team) => {
    const coordinator = addStaff('coordinator', 'social_worker');
    team.coordinatorId = coordinator.id;
    t.staffTeams.add(coordinator.id, team.id);
    return coordinator.subject;
  });

  const workers = plan.staff - fixedStaffPerOrganisation;
  const socialWorkers = Math.max(2 * teams.length, Math.round(workers * 0.62));
  const educators = workers - socialWorkers;
  const teamFor = (k: number, weights: number[], perTeamMinimum: number) => (k < perTeamMinimum * teams.length ? k % teams.length : teams.indexOf(rng.weighted(teams, weights)));
  for (let k = 0; k < socialWorkers; k++) {
    // The first two of each team stay active, so every team can always take a case in charge.
    const active = k < 2 * teams.length || !rng.chance(0.04);
    const member = addStaff('social_worker', 'social_worker', active);
    const team = teams[teamFor(k, socialWorkerTeamWeights, 2)]!;
    team.socialWorkers.push({ id: member.id, subject: member.subject, active, load: member.fte * (0.6 + rng.next() * 0.8) });
    t.staffTeams.add(member.id, team.id);
    if (rng.chance(0.08)) {
      const second = rng.pick(teams);
      if (second !== team) t.staffTeams.add(member.id, second.id);
    }
  }
  for (let k = 0; k < educators; k++) {
    const active = k < teams.length || !rng.chance(0.04);
    const member = addStaff('educator', 'educator', active);
    const team = teams[teamFor(k, educatorTeamWeights, 1)]!;
    team.educators.push({ id: member.id, subject: member.subject, active, load: member.fte * (0.6 + rng.next() * 0.8) });
    t.staffTeams.add(member.id, team.id);
  }

  const officeIds = [rng.uuid()];
  t.offices.add(officeIds[0], id, 'Sede centrale dei servizi sociali', 'Via Roma 1', 'lun-ven 9-12, mar e gio 14-17', '0200000000', `servizisociali@comune.${municipality.belfiore.toLowerCase()}.example`, 'Accesso senza barriere, ascensore', founded, founded);
  if (plan.cases > 20_000) {
    for (const district of ['Nord', 'Sud']) {
      const officeId = rng.uuid();
      officeIds.push(officeId);
      t.offices.add(officeId, id, `Sportello sociale ${district}`, `Piazza del Municipio ${officeIds.length}`, 'lun, mer, ven 9-12', null, null, null, founded, founded);
    }
  }

  const servicesByArea = new Map<UserArea, { id: string; template: (typeof serviceTemplates)[number] }[]>();
  for (const template of serviceTemplates) {
    const serviceId = rng.uuid();
    t.services.add(serviceId, id, template.name, `${template.name}: servizio del Comune di ${municipality.name}.`, 'Residenti nel Comune', 'Domanda allo sportello sociale', officeIds[0], JSON.stringify(template.userAreas), template.siussCode, template.periodic, template.meansTestType, founded, founded);
    for (const area of template.userAreas) {
      if (!servicesByArea.has(area)) servicesByArea.set(area, []);
      servicesByArea.get(area)!.push({ id: serviceId, template });
    }
  }

  const teamOfArea = new Map<UserArea, TeamContext>();
  for (const team of teams) for (const area of team.userAreas) teamOfArea.set(area, team);
  return {
    index: plan.index,
    id,
    municipality,
    teams,
    teamOfArea,
    servicesByArea,
    subjects: { director: director.subject, admin: admin.subject, auditor: auditor.subject, electedOfficial: electedOfficial.subject, coordinators },
  };
}
