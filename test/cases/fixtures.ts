import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import type { OrgWorld } from '../helpers/world.js';
import { freshFiscalCode } from '../citizens/fiscal-codes.js';

/** Requests that build this area's records through the API, as a front end would. */
export function citizenBody(overrides: Record<string, unknown> = {}) {
  return {
    fiscalCode: freshFiscalCode(),
    givenName: 'Giulia',
    familyName: 'Verdi',
    sex: 'F',
    birthDate: '1985-03-12',
    birthPlace: 'F205',
    citizenship: '100',
    residence: { street: 'Via Dante 3', postalCode: '20121', municipality: 'F205', province: 'MI' },
    ...overrides,
  };
}

export async function createCitizen(
  t: TestApp,
  subject: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const response = await t.as(subject, {
    method: 'POST',
    url: '/v1/citizens',
    payload: citizenBody(overrides),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

export function caseBody(org: OrgWorld, citizenId: string, overrides: Record<string, unknown> = {}) {
  return {
    citizenId,
    userArea: 'family_minors',
    siussArea: 1,
    teamId: org.teams.minori,
    referralSource: 'school',
    referralDate: '2026-01-15',
    complexity: 2,
    judicialMeasure: false,
    ...overrides,
  };
}

/** Opens a case as a social worker of `org` (who becomes its case manager) and answers its JSON. */
export async function openCase(
  t: TestApp,
  org: OrgWorld,
  citizenId: string,
  overrides: Record<string, unknown> = {},
  subject = org.staff.socialWorker.subject,
) {
  const response = await t.as(subject, {
    method: 'POST',
    url: '/v1/cases',
    payload: caseBody(org, citizenId, overrides),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; version: number; status: string; [key: string]: unknown };
}

export async function caseVersion(t: TestApp, caseId: string): Promise<number> {
  const { rows } = await t.app.pool.query<{ version: number }>('select version from cases where id = $1', [
    caseId,
  ]);
  return rows[0]!.version;
}

export async function changeStatus(
  t: TestApp,
  subject: string,
  caseId: string,
  payload: Record<string, unknown>,
) {
  const version = await caseVersion(t, caseId);
  return t.as(subject, {
    method: 'POST',
    url: `/v1/cases/${caseId}/status-changes`,
    headers: { 'if-match': `"${version}"` },
    payload,
  });
}

export async function countRows(t: TestApp, table: string): Promise<number> {
  const { rows } = await t.app.pool.query<{ n: string }>(`select count(*) as n from ${table}`);
  return Number(rows[0]!.n);
}

export async function lastAudit(t: TestApp, action: string) {
  const { rows } = await t.app.pool.query(
    `select action, outcome, actor_id, resource_id, citizen_id, case_id, emergency, reason, details from audit_events where action = $1 order by seq desc limit 1`,
    [action],
  );
  return rows[0] as
    | {
        action: string;
        outcome: string;
        actor_id: string;
        resource_id: string | null;
        citizen_id: string | null;
        case_id: string | null;
        emergency: boolean;
        reason: string | null;
        details: Record<string, unknown> | null;
      }
    | undefined;
}

let staffCounter = 0;
/** A further staff member of `org`, for tests that need someone with no history in the world. */
export async function addStaff(
  t: TestApp,
  org: OrgWorld,
  role: 'social_worker' | 'coordinator' | 'educator' | 'director',
  teamIds: string[],
) {
  const subject = `extra-${role}-${++staffCounter}-${Math.random().toString(36).slice(2, 8)}`;
  const { rows } = await t.app.pool.query<{ id: string }>(
    `insert into staff (organisation_id, subject, given_name, family_name, role, profile, contract)
     values ($1, $2, 'Extra', 'Staff', $3, 'social_worker', 'permanent') returning id`,
    [org.id, subject, role],
  );
  const id = rows[0]!.id;
  for (const teamId of teamIds)
    await t.app.pool.query('insert into staff_teams (staff_id, team_id) values ($1, $2)', [id, teamId]);
  return { id, subject };
}
