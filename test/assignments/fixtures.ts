import {
  assignments,
  cases,
  citizens,
  emergencyGrants,
  staff,
  staffTeams,
} from '../../src/db/schema/index.js';
import type { Database } from '../../src/platform/database.js';
import type { AssignmentRole, CaseStatus, StaffRole } from '../../src/shared/domain.js';
import type { OrgWorld } from '../helpers/world.js';

/**
 * Data for the assignments, notes, assessments and plans suites, written straight to the database (the
 * cases module is someone else's and may not exist yet).
 */
let counter = 0;

/** A citizen and a case of the given team and status; `caseManager` (default the social worker) manages it. */
export async function insertCase(
  db: Database,
  org: OrgWorld,
  options: {
    status?: CaseStatus;
    team?: 'minori' | 'anziani';
    caseManager?: string | null;
    others?: { staffId: string; role: AssignmentRole }[];
  } = {},
) {
  const status = options.status ?? 'in_charge';
  const caseManager = options.caseManager === undefined ? org.staff.socialWorker.id : options.caseManager;
  const n = ++counter;
  return db.transaction(async (tx) => {
    const [citizen] = await tx
      .insert(citizens)
      .values({
        organisationId: org.id,
        fiscalCode: `TSTASG${String(n).padStart(10, '0')}`,
        givenName: 'Giulia',
        familyName: `Verdi${n}`,
        sex: 'F',
        birthDate: '2014-03-01',
        birthPlace: 'F205',
        citizenship: '100',
        residence: { municipality: 'F205', street: 'Via Manzoni 3', postalCode: '20100' },
      })
      .returning();
    const [row] = await tx
      .insert(cases)
      .values({
        organisationId: org.id,
        citizenId: citizen!.id,
        teamId: org.teams[options.team ?? 'minori'],
        userArea: 'family_minors',
        siussArea: 1,
        referralSource: 'school',
        referralDate: '2026-01-05',
        complexity: 2,
        status,
        closureReason: status === 'closed' ? 'goals_achieved' : null,
        createdBy: org.staff.coordinator.id,
      })
      .returning();
    const rows = [
      ...(caseManager ? [{ staffId: caseManager, role: 'case_manager' as const }] : []),
      ...(options.others ?? []),
    ];
    if (rows.length > 0) {
      await tx
        .insert(assignments)
        .values(
          rows.map((r) => ({
            ...r,
            organisationId: org.id,
            caseId: row!.id,
            createdBy: org.staff.coordinator.id,
          })),
        );
    }
    return { caseId: row!.id, citizenId: citizen!.id };
  });
}

/** An extra staff member (e.g. an inactive one, or a second educator), in team minori unless told otherwise. */
export async function insertStaffMember(
  db: Database,
  org: OrgWorld,
  role: StaffRole,
  options: { active?: boolean; team?: 'minori' | 'anziani' | null } = {},
) {
  const subject = `extra-${role}-${++counter}-${org.id.slice(0, 8)}`;
  const [row] = await db
    .insert(staff)
    .values({
      organisationId: org.id,
      subject,
      givenName: 'Extra',
      familyName: role,
      role,
      profile: role === 'educator' ? 'educator' : 'social_worker',
      contract: 'permanent',
      active: options.active ?? true,
    })
    .returning();
  const team = options.team === undefined ? 'minori' : options.team;
  if (team) await db.insert(staffTeams).values({ staffId: row!.id, teamId: org.teams[team] });
  return { id: row!.id, subject };
}

/** An active break-the-glass grant (read-only access for four hours). */
export async function grantEmergency(db: Database, org: OrgWorld, caseId: string, staffId: string) {
  await db.insert(emergencyGrants).values({
    organisationId: org.id,
    caseId,
    staffId,
    reason: 'Urgent call from the hospital about the beneficiary',
    expiresAt: new Date(Date.now() + 4 * 3600_000),
  });
}
