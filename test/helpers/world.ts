import { apiClients, assignments, cases, citizens, organisations, staff, staffTeams, teams } from '../../src/db/schema/index.js';
import type { Database } from '../../src/platform/database.js';
import type { StaffRole } from '../../src/shared/domain.js';

/**
 * A small deployment for authorization tests, written straight to the database: two organisations (A, B),
 * each with two teams and one staff member of every role, plus machine clients; in A, one citizen with an
 * in_charge case of team "minori" managed by `socialWorker`, with `educator` assigned. `socialWorker2` is
 * in the same team but unassigned; `coordinatorOther` coordinates another team.
 */
export const staffKeys = [
  'socialWorker',
  'socialWorker2',
  'educator',
  'coordinator',
  'coordinatorOther',
  'director',
  'admin',
  'auditor',
  'electedOfficial',
] as const;
export type StaffKey = (typeof staffKeys)[number];

const roleOf: Record<StaffKey, StaffRole> = {
  socialWorker: 'social_worker',
  socialWorker2: 'social_worker',
  educator: 'educator',
  coordinator: 'coordinator',
  coordinatorOther: 'coordinator',
  director: 'director',
  admin: 'admin',
  auditor: 'auditor',
  electedOfficial: 'elected_official',
};

export interface OrgWorld {
  id: string;
  belfioreCode: string;
  teams: { minori: string; anziani: string };
  staff: Record<StaffKey, { id: string; subject: string }>;
  clients: { regional: { id: string; subject: string }; siuss: { id: string; subject: string } };
}

export interface World {
  a: OrgWorld;
  b: OrgWorld;
  platformAdmin: { id: string; subject: string };
  citizenId: string;
  caseId: string;
}

let counter = 0;

async function seedOrganisation(db: Database, label: string, belfioreCode: string, istatCode: string): Promise<OrgWorld> {
  const [org] = await db.insert(organisations).values({ name: `Comune ${label}`, belfioreCode, istatCode }).returning();
  const [minori, anziani] = await db
    .insert(teams)
    .values([
      { organisationId: org!.id, name: 'Minori e famiglia', area: 'minori e famiglia' },
      { organisationId: org!.id, name: 'Anziani', area: 'anziani' },
    ])
    .returning();
  const staffOut = {} as OrgWorld['staff'];
  for (const key of staffKeys) {
    const subject = `${label}-${key}-${++counter}`;
    const [row] = await db
      .insert(staff)
      .values({
        organisationId: org!.id,
        subject,
        givenName: 'Test',
        familyName: key,
        role: roleOf[key],
        profile: roleOf[key] === 'educator' ? 'educator' : roleOf[key] === 'admin' ? 'administrative' : 'social_worker',
        contract: 'permanent',
        fte: '1.00',
      })
      .returning();
    staffOut[key] = { id: row!.id, subject };
    const team = key === 'coordinatorOther' ? anziani : ['director', 'admin', 'auditor', 'electedOfficial'].includes(key) ? null : minori;
    if (team) await db.insert(staffTeams).values({ staffId: row!.id, teamId: team.id });
  }
  const client = async (role: 'regional' | 'siuss') => {
    const subject = `${label}-${role}-${++counter}`;
    const [row] = await db.insert(apiClients).values({ organisationId: org!.id, subject, role, name: `${role} client` }).returning();
    return { id: row!.id, subject };
  };
  return {
    id: org!.id,
    belfioreCode,
    teams: { minori: minori!.id, anziani: anziani!.id },
    staff: staffOut,
    clients: { regional: await client('regional'), siuss: await client('siuss') },
  };
}

export async function seedWorld(db: Database): Promise<World> {
  const a = await seedOrganisation(db, 'a', 'F205', '015146');
  const b = await seedOrganisation(db, 'b', 'L219', '001272');
  const platformSubject = `platform-admin-${++counter}`;
  const [platform] = await db
    .insert(staff)
    .values({ subject: platformSubject, givenName: 'Platform', familyName: 'Admin', role: 'platform_admin', profile: 'administrative', contract: 'other', fte: '0' })
    .returning();
  const [citizen] = await db
    .insert(citizens)
    .values({
      organisationId: a.id,
      fiscalCode: 'RSSMRA80A01F205X',
      givenName: 'Mario',
      familyName: 'Rossi',
      sex: 'M',
      birthDate: '1980-01-01',
      birthPlace: 'F205',
      citizenship: '100',
      residence: { municipality: 'F205', street: 'Via Roma 1', postalCode: '20100' },
    })
    .returning();
  const caseId = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(cases)
      .values({
        organisationId: a.id,
        citizenId: citizen!.id,
        teamId: a.teams.minori,
        userArea: 'family_minors',
        siussArea: 1,
        referralSource: 'school',
        referralDate: '2026-01-10',
        complexity: 2,
        judicialMeasure: false,
        status: 'in_charge',
        takenInChargeAt: new Date(),
        createdBy: a.staff.socialWorker.id,
      })
      .returning();
    await tx.insert(assignments).values([
      { organisationId: a.id, caseId: row!.id, staffId: a.staff.socialWorker.id, role: 'case_manager', createdBy: a.staff.coordinator.id },
      { organisationId: a.id, caseId: row!.id, staffId: a.staff.educator.id, role: 'educator', createdBy: a.staff.coordinator.id },
    ]);
    return row!.id;
  });
  return { a, b, platformAdmin: { id: platform!.id, subject: platformSubject }, citizenId: citizen!.id, caseId };
}
