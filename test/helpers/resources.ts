import { sql } from 'drizzle-orm';
import type { Database } from '../../src/platform/database.js';
import type { World } from './world.js';

/**
 * One row of every kind that hangs off the world's case in organisation A, so that route-walking suites
 * (authorization matrix, audit coverage, fuzzing) can fill any path parameter with a real id of A.
 */
export interface ResourceIds {
  [param: string]: string;
}

async function one(db: Database, query: ReturnType<typeof sql>): Promise<string> {
  const { rows } = await db.execute<{ id: string }>(query);
  return rows[0]!.id;
}

export async function seedResources(db: Database, w: World): Promise<ResourceIds> {
  const a = w.a;
  const by = a.staff.socialWorker.id;
  const officeId = await one(db, sql`insert into offices (organisation_id, name, address, opening_hours)
    values (${a.id}, 'Sede centrale', 'Via Roma 1', 'lun-ven 9-12') returning id`);
  const serviceId = await one(db, sql`insert into services (organisation_id, name, description, siuss_code, periodic, office_id)
    values (${a.id}, 'Assistenza domiciliare', 'Aiuto a casa', 'A1.01', true, ${officeId}) returning id`);
  const interventionId = await one(db, sql`insert into interventions (organisation_id, case_id, service_id, status, planned_start, created_by)
    values (${a.id}, ${w.caseId}, ${serviceId}, 'requested', '2026-02-01', ${by}) returning id`);
  const noteId = await one(db, sql`insert into notes (organisation_id, case_id, kind, occurred_at, author_id, confidentiality)
    values (${a.id}, ${w.caseId}, 'interview', now(), ${by}, 'team') returning id`);
  await db.execute(sql`insert into note_versions (note_id, version, text, author_id) values (${noteId}, 1, 'Colloquio iniziale', ${by})`);
  const planId = await one(db, sql`insert into plans (organisation_id, case_id, goals, start_date, review_due_date, responsible_staff_id, status, created_by)
    values (${a.id}, ${w.caseId}, '["autonomia"]', '2026-01-15', '2026-06-15', ${by}, 'active', ${by}) returning id`);
  const assessmentId = await one(db, sql`insert into assessments (organisation_id, case_id, assessed_on, instrument, source, author_id)
    values (${a.id}, ${w.caseId}, '2026-01-20', 'colloquio', 'servizio sociale', ${by}) returning id`);
  const assignmentId = await one(db, sql`select id from assignments where case_id = ${w.caseId} and role = 'educator'`);
  const householdId = await one(db, sql`insert into households (organisation_id, name) values (${a.id}, 'Famiglia Rossi') returning id`);
  await db.execute(sql`insert into household_members (household_id, citizen_id, relation, valid_from) values (${householdId}, ${w.citizenId}, 'head', '2020-01-01')`);
  const grantId = await one(db, sql`insert into emergency_grants (organisation_id, case_id, staff_id, reason, expires_at)
    values (${a.id}, ${w.caseId}, ${a.staff.coordinatorOther.id}, 'Urgent safeguarding call from the police at night', now() - interval '1 hour') returning id`);
  // A staff member no suite logs in as, so that walking PATCH /v1/staff/{id} cannot lock an actor out.
  const staffId = await one(db, sql`insert into staff (organisation_id, subject, given_name, family_name, role, profile, contract)
    values (${a.id}, ${`spare-${w.caseId}`}, 'Spare', 'Worker', 'social_worker', 'social_worker', 'fixed_term') returning id`);
  return {
    organisationId: a.id,
    teamId: a.teams.anziani,
    staffId,
    citizenId: w.citizenId,
    caseId: w.caseId,
    householdId,
    noteId,
    planId,
    assessmentId,
    interventionId,
    assignmentId,
    grantId,
    serviceId,
    officeId,
    belfioreCode: a.belfioreCode,
    year: '2026',
  };
}
