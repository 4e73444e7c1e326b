import { assignments, cases, citizens, emergencyGrants } from '../../src/db/schema/index.js';
import type { Database } from '../../src/platform/database.js';
import type { CaseStatus } from '../../src/shared/domain.js';
import type { OrgWorld } from '../helpers/world.js';

/**
 * Cases written straight to the database (the cases module is someone else's and may not exist yet):
 * a citizen, a case of the given team and status, and the social worker as its case manager.
 */
let counter = 0;

export async function insertCase(
  db: Database,
  org: OrgWorld,
  options: { status?: CaseStatus; team?: 'minori' | 'anziani'; caseManager?: string } = {},
) {
  const status = options.status ?? 'in_charge';
  const caseManager = options.caseManager ?? org.staff.socialWorker.id;
  const n = ++counter;
  return db.transaction(async (tx) => {
    const [citizen] = await tx
      .insert(citizens)
      .values({
        organisationId: org.id,
        fiscalCode: `TSTCTZ${String(n).padStart(10, '0')}`,
        givenName: 'Laura',
        familyName: `Bianchi${n}`,
        sex: 'F',
        birthDate: '1985-08-01',
        birthPlace: 'F205',
        citizenship: '100',
        residence: { municipality: 'F205', street: 'Via Verdi 2', postalCode: '20100' },
      })
      .returning();
    const [row] = await tx
      .insert(cases)
      .values({
        organisationId: org.id,
        citizenId: citizen!.id,
        teamId: org.teams[options.team ?? 'minori'],
        userArea: 'elderly',
        siussArea: 2,
        referralSource: 'family',
        referralDate: '2026-01-05',
        complexity: 1,
        status,
        closureReason: status === 'closed' ? 'goals_achieved' : null,
        createdBy: caseManager,
      })
      .returning();
    await tx
      .insert(assignments)
      .values({
        organisationId: org.id,
        caseId: row!.id,
        staffId: caseManager,
        role: 'case_manager',
        createdBy: caseManager,
      });
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
