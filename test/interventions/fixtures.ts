import type { Database } from '../../src/platform/database.js';
import type { CaseStatus } from '../../src/shared/domain.js';
import { insertCase as insertAnyCase } from '../helpers/cases.js';
import type { OrgWorld } from '../helpers/world.js';

export { grantEmergency } from '../helpers/cases.js';

/** Interventions are tested on an adult's case (SIUSS area 2), managed by the social worker. */
export function insertCase(
  db: Database,
  org: OrgWorld,
  options: { status?: CaseStatus; team?: 'minori' | 'anziani'; caseManager?: string } = {},
) {
  return insertAnyCase(db, org, { ...options, userArea: 'elderly' });
}
