import { staff, staffTeams } from '../../src/db/schema/index.js';
import type { Database } from '../../src/platform/database.js';
import type { StaffRole } from '../../src/shared/domain.js';
import type { OrgWorld } from '../helpers/world.js';

/** Data for the assignments, notes, assessments and plans suites, written straight to the database. */
export { grantEmergency, insertCase } from '../helpers/cases.js';

let counter = 0;

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

