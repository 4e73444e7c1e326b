import { assignments, cases, citizens, emergencyGrants } from '../../src/db/schema/index.js';
import type { Database } from '../../src/platform/database.js';
import type { AssignmentRole, CaseStatus } from '../../src/shared/domain.js';
import type { OrgWorld } from './world.js';

/**
 * Cases written straight to the database for suites that test what hangs off a case (assignments, notes,
 * care plans, interventions): a citizen, a case of the given team, status and area, its case manager and any
 * further assignments, in one transaction.
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
    /** family_minors (a child, SIUSS area 1) by default; elderly gives an adult of SIUSS area 2. */
    userArea?: 'family_minors' | 'elderly';
  } = {},
) {
  const status = options.status ?? 'in_charge';
  const caseManager = options.caseManager === undefined ? org.staff.socialWorker.id : options.caseManager;
  const n = ++counter;
  const elderly = options.userArea === 'elderly';
  return db.transaction(async (tx) => {
    const [citizen] = await tx
      .insert(citizens)
      .values({
        organisationId: org.id,
        fiscalCode: `TSTASG${String(n).padStart(10, '0')}`,
        givenName: 'Giulia',
        familyName: `Verdi${n}`,
        sex: 'F',
        birthDate: elderly ? '1945-08-01' : '2014-03-01',
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
        userArea: options.userArea ?? 'family_minors',
        siussArea: elderly ? 2 : 1,
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
