import codiceFiscaleModule from 'codice-fiscale-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeed, type SeedSummary } from '../../src/tools/synthetic-data/seed.js';
import { createTestDatabase } from '../helpers/database.js';

/** The synthetic deployment (`runSeed`) at test scale: realistic, consistent, deterministic. */
const { CodiceFiscale } = codiceFiscaleModule as unknown as { CodiceFiscale: typeof codiceFiscaleModule.default };
const options = { organisations: 2, cases: 800, staff: 60, seed: 7 };

let first: Awaited<ReturnType<typeof createTestDatabase>>;
let second: Awaited<ReturnType<typeof createTestDatabase>>;
let empty: Awaited<ReturnType<typeof createTestDatabase>>;
let summary: SeedSummary;
let db: pg.Pool;

beforeAll(async () => {
  [first, second, empty] = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
  summary = await runSeed({ ...options, databaseUrl: first.url });
  await runSeed({ ...options, databaseUrl: second.url });
  db = new pg.Pool({ connectionString: first.url, max: 2 });
}, 240_000);
afterAll(async () => {
  await db?.end();
  await Promise.all([first?.drop(), second?.drop(), empty?.drop()]);
});

const rows = async <T extends object>(text: string, params: unknown[] = []) => (await db.query<T & pg.QueryResultRow>(text, params)).rows;
const count = async (text: string, params: unknown[] = []) => Number((await rows<{ n: string }>(text, params))[0]!.n);

describe('synthetic deployment', () => {
  it('has the requested size and says which subject holds which role where', async () => {
    expect(summary.organisations.map((o) => [o.index, o.belfioreCode])).toEqual([[1, 'F205'], [2, 'H501']]);
    expect(summary.organisations.reduce((n, o) => n + o.cases, 0)).toBe(800);
    expect(summary.rows).toMatchObject({ organisations: 2, cases: 800, staff: 60, citizens: 800 });
    expect(await count('select count(*) as n from cases')).toBe(800);
    for (const org of summary.organisations) {
      const subjects = await rows<{ subject: string; role: string; active: boolean; organisation_id: string }>('select subject, role, active, organisation_id from staff where subject like $1', [`seed-${org.index}-%`]);
      const roleOf = new Map(subjects.map((s) => [s.subject, s]));
      expect(subjects.every((s) => s.organisation_id === org.id)).toBe(true);
      expect(roleOf.get(`seed-${org.index}-1`)?.role).toBe('director');
      expect(roleOf.get(org.subjects.director)?.role).toBe('director');
      expect(roleOf.get(org.subjects.electedOfficial)?.role).toBe('elected_official');
      expect(org.subjects.coordinators.map((s) => roleOf.get(s)?.role)).toEqual(['coordinator', 'coordinator', 'coordinator', 'coordinator']);
      expect(org.subjects.socialWorkers.length).toBeGreaterThan(7);
      for (const s of org.subjects.socialWorkers) expect(roleOf.get(s)).toMatchObject({ role: 'social_worker', active: true });
      for (const s of org.subjects.educators) expect(roleOf.get(s)).toMatchObject({ role: 'educator', active: true });
    }
  });

  it('is deterministic: the same seed gives the same rows, ids included', async () => {
    const digest = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const out: Record<string, string> = {};
      for (const table of ['organisations', 'staff', 'citizens', 'cases', 'case_status_changes', 'assignments', 'notes', 'note_versions', 'interventions', 'plans']) {
        const { rows: r } = await client.query(`select md5(string_agg(t::text, '|' order by t::text)) as d from (select * from ${table}) t`);
        out[table] = r[0].d;
      }
      await client.end();
      return out;
    };
    expect(await digest(second.url)).toEqual(await digest(first.url));
  });

  it('every codice fiscale is valid, unique in its organisation, and encodes birth date, sex and place', async () => {
    const citizens = await rows<{ fiscal_code: string; fiscal_code_temporary: boolean; sex: 'M' | 'F'; birth_date: string; birth_place: string }>(
      'select fiscal_code, fiscal_code_temporary, sex, birth_date::text, birth_place from citizens',
    );
    expect(await count('select count(*) - count(distinct (organisation_id, fiscal_code)) as n from citizens')).toBe(0);
    const digits = (text: string) => text.replace(/[LMNPQRSTUV]/g, (c) => String('LMNPQRSTUV'.indexOf(c)));
    let temporary = 0;
    for (const c of citizens) {
      if (c.fiscal_code_temporary) {
        temporary++;
        expect(c.fiscal_code).toMatch(/^[0-9]{11}$/);
        continue;
      }
      expect([c.fiscal_code, CodiceFiscale.check(c.fiscal_code)]).toEqual([c.fiscal_code, true]);
      const decoded = CodiceFiscale.computeInverse(c.fiscal_code);
      const [year, month, day] = c.birth_date.split('-').map(Number) as [number, number, number];
      expect([decoded.day, decoded.month, decoded.year % 100, decoded.gender]).toEqual([day, month, year % 100, c.sex]);
      expect(c.fiscal_code[11]! + digits(c.fiscal_code.slice(12, 15))).toBe(c.birth_place);
    }
    expect(temporary).toBeLessThan(citizens.length / 20);
  });

  it('ages fit the user areas', async () => {
    const ages = await rows<{ user_area: string; min: number; max: number }>(`
      select c.user_area, min(extract(year from age(c.referral_date, z.birth_date)))::int as min, max(extract(year from age(c.referral_date, z.birth_date)))::int as max
      from cases c join citizens z on z.id = c.citizen_id group by 1`);
    const of = (area: string) => ages.find((a) => a.user_area === area)!;
    expect(of('family_minors').max).toBeLessThan(18);
    expect(of('elderly').min).toBeGreaterThanOrEqual(65);
    expect(of('poverty_adults').min).toBeGreaterThanOrEqual(18);
  });

  it('status histories are consistent with the statuses, and nothing is dated in the future', async () => {
    expect(await count(`select count(*) as n from cases c where c.status <> (select s.to_status from case_status_changes s where s.case_id = c.id order by s.changed_at desc limit 1)`)).toBe(0);
    expect(await count(`select count(*) as n from cases c where (select s.from_status from case_status_changes s where s.case_id = c.id order by s.changed_at limit 1) is not null`)).toBe(0);
    expect(await count(`select count(*) as n from cases where (status = 'closed') <> (closed_at is not null) or (status = 'in_charge' and taken_in_charge_at is null)`)).toBe(0);
    expect(await count(`select count(*) as n from case_status_changes where changed_at > $1`, [summary.asOf])).toBe(0);
    const statuses = Object.fromEntries((await rows<{ status: string; n: string }>('select status, count(*) as n from cases group by 1')).map((r) => [r.status, Number(r.n)]));
    expect(statuses.closed).toBeGreaterThan(400);
    expect(statuses.in_charge).toBeGreaterThan(80);
  });

  it('every in_charge case has exactly one active case manager; closed cases none; no leaver holds a case', async () => {
    const active = `a.valid_from <= now() and (a.valid_to is null or a.valid_to > now())`;
    expect(await count(`select count(*) as n from cases c where c.status = 'in_charge' and (select count(*) from assignments a where a.case_id = c.id and a.role = 'case_manager' and ${active}) <> 1`)).toBe(0);
    expect(await count(`select count(*) as n from assignments a join cases c on c.id = a.case_id where c.status = 'closed' and ${active}`)).toBe(0);
    expect(await count(`select count(*) as n from assignments a join staff s on s.id = a.staff_id where not s.active and ${active}`)).toBe(0);
    // Loaded with the triggers off: the seed itself must copy each case's created_at (migration 0012).
    expect(await count(`select count(*) as n from assignments a join cases c on c.id = a.case_id where a.case_created_at <> c.created_at`)).toBe(0);
  });

  it('notes keep their versions; plans and interventions follow their case', async () => {
    expect(await count(`select count(*) as n from notes n where n.current_version <> (select max(v.version) from note_versions v where v.note_id = n.id)`)).toBe(0);
    expect(await count(`select count(*) as n from plans p join cases c on c.id = p.case_id where p.status = 'active' and c.status <> 'in_charge'`)).toBe(0);
    expect(await count(`select count(*) as n from interventions i join cases c on c.id = i.case_id where c.status = 'closed' and i.status <> 'ended'`)).toBe(0);
    expect(await count(`select count(*) as n from interventions i where i.status <> (select s.to_status from intervention_status_changes s where s.intervention_id = i.id order by s.changed_at desc limit 1)`)).toBe(0);
    expect(await count('select count(*) as n from notes')).toBeGreaterThan(1500);
  });

  it('leaves the schema as the migrations made it: every key, index, foreign key and trigger back', async () => {
    const shape = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const indexes = (await client.query(`select indexname, indexdef from pg_indexes where schemaname = 'public' order by 1`)).rows;
      const constraints = (await client.query(`select conname, pg_get_constraintdef(oid) as def, convalidated from pg_constraint where connamespace = 'public'::regnamespace order by 1`)).rows;
      const triggers = (await client.query(`select tgname, tgenabled from pg_trigger where not tgisinternal order by 1`)).rows;
      await client.end();
      return { indexes, constraints, triggers };
    };
    expect(await shape(first.url)).toEqual(await shape(empty.url));
  });

  it('fills the flow counters, and refuses to seed a database that already holds a record', async () => {
    expect(await count('select sum(opened) as n from case_flow_events')).toBe(800);
    await expect(runSeed({ ...options, databaseUrl: first.url })).rejects.toThrow(/already has organisations/);
  });
});
