import { count, sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClientOrganisations,
  apiClients,
  cases,
  citizens,
  indicatorReleases,
  organisations,
} from '../../src/db/schema/index.js';
import {
  determinedEntries,
  type Key,
  type Relation,
} from '../../src/modules/indicators/suppression.test-support.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, staffKeys, type World } from '../helpers/world.js';
import { referenceCount, seedIndicatorFixture, worldCase, type Fixture } from './fixture.js';
import { asPublishedTable, forbiddenPatterns, getTable, rowsOf, type TableBody } from './support.js';

/**
 * GET /v1/indicators/{cases,interventions} through HTTP on a small deployment (today is after September
 * 2026, so 2025 and 2026-01..09 are released): published numbers against a reference group-by, the
 * threshold, overlapping queries, CSV, who may read which organisation, and no identifier anywhere.
 */
let t: TestApp;
let w: World;
let fixture: Fixture;
/** Every body answered in this file, scanned for identifiers at the end. */
const bodies: string[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  fixture = await seedIndicatorFixture(t.app.db, w.a, {
    seed: 11,
    // A mid-sized organisation in 2025, a small one in 2026 (most 2-D cells suppressed).
    cases: { 2025: 3000, 2026: 300 },
    interventions: { 2025: 2500, 2026: 200 },
  });
  fixture.cases.push(worldCase);
}, 120_000);
afterAll(async () => t?.close());

async function read(subject: string, indicator: string, query: Record<string, string>) {
  const response = await getTable(t, subject, indicator, query);
  bodies.push(response.body);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as TableBody;
}
const director = () => w.a.staff.director.subject;

describe('published numbers', () => {
  const requests: Array<[string, Record<string, string>]> = [
    ['cases', { period: '2025', by: 'ageBand,sex' }],
    ['cases', { period: '2025-Q2', by: 'userArea' }],
    ['cases', { period: '2025-07', by: 'municipality' }],
    ['cases', { period: '2026-Q1', by: 'municipality' }],
    ['cases', { period: '2025' }],
    ['cases', { period: '2026-09' }],
    ['cases', { period: '2025-09', by: 'siussArea,ageBand' }],
    ['interventions', { period: '2025', by: 'siussCode,municipality' }],
    ['interventions', { period: '2025-Q3', by: 'siussCode' }],
    ['interventions', { period: '2025-11', by: 'ageBand,sex' }],
    ['interventions', { period: '2026-Q3', by: 'userArea' }],
    ['interventions', { period: '2026-Q2', by: 'siussCode' }],
  ];

  it('equal a reference group-by wherever published; nothing with 0 < n < k; suppressed cells are real', async () => {
    let suppressed = 0;
    let published = 0;
    for (const [indicator, query] of requests) {
      const body = await read(director(), indicator, query);
      expect(body).toMatchObject({ indicator, organisation: 'F205', period: query.period, k: 5 });
      const records = indicator === 'cases' ? fixture.cases : fixture.interventions;
      for (const row of rowsOf(body)) {
        const truth = referenceCount(records, query.period!, row.key);
        if (row.count === null) {
          expect(truth, JSON.stringify(row)).toBeGreaterThan(0);
          suppressed++;
        } else {
          expect(row.count, `${indicator} ${query.period} ${JSON.stringify(row.key)}`).toBe(truth);
          expect(row.count === 0 || row.count >= body.k).toBe(true);
          if (row.count > 0) published++;
        }
      }
    }
    // The fixture is small enough that both happen a lot: the assertions above are not vacuous.
    expect(suppressed).toBeGreaterThan(20);
    expect(published).toBeGreaterThan(50);
  });

  it('lists every value of the fixed grids and only sanitised codes of the open ones', async () => {
    const byAge = await read(director(), 'cases', { period: '2025', by: 'ageBand' });
    expect(byAge.cells.map((row) => row.ageBand)).toEqual([
      '0-2',
      '3-5',
      '6-10',
      '11-13',
      '14-17',
      '18-24',
      '25-34',
      '35-44',
      '45-54',
      '55-64',
      '65-74',
      '75-84',
      '85+',
    ]);
    const byMunicipality = await read(director(), 'cases', { period: '2025', by: 'municipality' });
    expect(byMunicipality.cells.map((row) => row.municipality)).toEqual(['F205', 'H501', 'L219', 'unknown']);
    const byCode = await read(director(), 'interventions', { period: '2025', by: 'siussCode' });
    expect(byCode.cells.map((row) => row.siussCode)).toEqual(['A1.01', 'B2.03', 'C1.02.01']);
  });

  it('refuses a period that is not released yet (400 naming the period) and a case dimension cases lack', async () => {
    for (const period of ['2026-10', '2026-Q4', '2026', '2031-01']) {
      const response = await getTable(t, director(), 'cases', { period, by: 'sex' });
      bodies.push(response.body);
      expect(response.statusCode, period).toBe(400);
      expect(response.json().invalidParams[0].name).toBe('querystring/period');
    }
    const noCode = await getTable(t, director(), 'cases', { period: '2025', by: 'siussCode' });
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json().invalidParams[0].name).toBe('querystring/by');
    const threeDimensions = await getTable(t, director(), 'interventions', {
      period: '2025',
      by: 'sex,ageBand,siussCode',
    });
    expect(threeDimensions.statusCode).toBe(400);
  });
});

describe('tables too detailed for the numbers', () => {
  it('a two-dimension table of a small year is refused (409), its one-dimension tables and totals are not', async () => {
    // 2026 has a tenth of 2025's records: monthly cells of age band × municipality are mostly 0, 1 or 2.
    const refused = await getTable(t, director(), 'cases', { period: '2026-Q2', by: 'ageBand,municipality' });
    bodies.push(refused.body);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'conflict',
      detail: expect.stringContaining('too few records'),
    });
    const byAge = await read(director(), 'cases', { period: '2026-Q2', by: 'ageBand' });
    const byMunicipality = await read(director(), 'cases', { period: '2026-Q2', by: 'municipality' });
    expect(byAge.total).toBe(referenceCount(fixture.cases, '2026-Q2', {}));
    expect(byMunicipality.total).toBe(byAge.total);
    // The same pair over the larger year is published.
    expect(
      (await getTable(t, director(), 'cases', { period: '2025-Q2', by: 'ageBand,municipality' })).statusCode,
    ).toBe(200);
    // Asked again: the same answer, from the stored refusal.
    expect(
      (await getTable(t, director(), 'cases', { period: '2026-Q2', by: 'ageBand,municipality' })).statusCode,
    ).toBe(409);
  });
});

describe('breakdowns need every total published', () => {
  it('while a shown total is below k, only the totals table is published (409 for breakdowns)', async () => {
    // Organisation B: three cases referred in February 2024 and nothing else that year.
    for (const [i, day] of ['03', '11', '20'].entries()) {
      const [citizen] = await t.app.db
        .insert(citizens)
        .values({
          organisationId: w.b.id,
          fiscalCode: `BNCLRA70A0${i}L219X`,
          givenName: 'Lara',
          familyName: 'Bianchi',
          sex: 'F',
          birthDate: '1970-01-01',
          birthPlace: 'L219',
          citizenship: '100',
          residence: { municipality: 'L219' },
        })
        .returning();
      await t.app.db.insert(cases).values({
        organisationId: w.b.id,
        citizenId: citizen!.id,
        teamId: w.b.teams.anziani,
        userArea: 'elderly',
        siussArea: 2,
        referralSource: 'hospital',
        referralDate: `2024-02-${day}`,
        complexity: 1,
        createdBy: w.b.staff.socialWorker.id,
      });
    }
    const subject = w.b.staff.director.subject;
    const totals = await read(subject, 'cases', { period: '2024' });
    expect(totals.total).toBeNull(); // 3 < k
    const february = await read(subject, 'cases', { period: '2024-02' });
    expect(february.total).toBeNull();
    expect((await read(subject, 'cases', { period: '2024-03' })).total).toBe(0);
    for (const by of ['sex', 'userArea,sex']) {
      const refused = await getTable(t, subject, 'cases', { period: '2024-Q3', by });
      bodies.push(refused.body);
      expect(refused.statusCode, by).toBe(409);
    }
  });
});

describe('overlapping queries', () => {
  /** Quarter entry = Σ month entries, for every key of the quarter table (tables: 0 = quarter, 1–3 months). */
  function quarterRelations(quarter: TableBody): Relation[] {
    const published = asPublishedTable(quarter);
    return [...published.cells, ...published.margins].map((entry) => ({
      total: [0, entry.key],
      members: [1, 2, 3].map((table): [number, Key] => [table, entry.key]),
    }));
  }

  for (const [indicator, by] of [
    ['cases', 'userArea,ageBand'],
    ['interventions', 'siussCode,ageBand'],
  ] as const) {
    it(`${indicator}: a quarter and its three months never expose a cell one of them suppresses`, async () => {
      const tables = [];
      for (const period of ['2025-Q2', '2025-04', '2025-05', '2025-06'])
        tables.push(await read(director(), indicator, { period, by }));
      const [quarter, ...months] = tables as [TableBody, TableBody, TableBody, TableBody];
      const monthRows = months.map(
        (month) => new Map(rowsOf(month).map((row) => [JSON.stringify(row.key), row.count])),
      );
      let hiddenQuarters = 0;
      for (const row of rowsOf(quarter)) {
        const id = JSON.stringify(row.key);
        const inMonths = monthRows.map((rows) => rows.get(id));
        // A hidden quarter cell is never the sum of three published months, and a hidden month never the
        // quarter minus two published months.
        if (row.count === null) {
          hiddenQuarters++;
          expect(
            inMonths.every((c) => c !== null),
            id,
          ).toBe(false);
        } else {
          expect(inMonths.filter((c) => c === null).length, id).not.toBe(1);
        }
      }
      expect(hiddenQuarters).toBeGreaterThan(0);
      // And nothing at all is determined by the four tables together (exact rational elimination).
      expect(determinedEntries(tables.map(asPublishedTable), quarterRelations(quarter))).toEqual([]);
    });
  }

  it('a table and its sub-tables, asked in either order, show the same numbers and nulls', async () => {
    // Sub-table first for cases, full table first for interventions.
    const municipalityFirst = await read(director(), 'cases', { period: '2025-Q1', by: 'municipality' });
    const casesTable = await read(director(), 'cases', { period: '2025-Q1', by: 'ageBand,municipality' });
    const ageAfter = await read(director(), 'cases', { period: '2025-Q1', by: 'ageBand' });
    const interventionsTable = await read(director(), 'interventions', {
      period: '2025-Q1',
      by: 'siussCode,ageBand',
    });
    const codeAfter = await read(director(), 'interventions', { period: '2025-Q1', by: 'siussCode' });
    const ageOfInterventions = await read(director(), 'interventions', { period: '2025-Q1', by: 'ageBand' });

    for (const [table, subTables] of [
      [casesTable, [municipalityFirst, ageAfter]],
      [interventionsTable, [codeAfter, ageOfInterventions]],
    ] as const) {
      const inTable = new Map(rowsOf(table).map((row) => [JSON.stringify(row.key), row.count]));
      const relations: Relation[] = [];
      subTables.forEach((sub, s) => {
        for (const row of rowsOf(sub)) {
          const key = Object.fromEntries(
            table.dimensions.map((dimension) => [dimension, row.key[dimension] ?? null]),
          );
          expect(inTable.get(JSON.stringify(key)), JSON.stringify(row.key)).toBe(row.count);
          relations.push({
            total: [s + 1, sub.dimensions.map((dimension) => row.key[dimension] ?? null)],
            members: [[0, table.dimensions.map((dimension) => key[dimension] ?? null)]],
          });
        }
      });
      expect(rowsOf(table).some((row) => row.count === null)).toBe(true);
      expect(determinedEntries([table, ...subTables].map(asPublishedTable), relations)).toEqual([]);
    }
  });

  it('two tables sharing a margin (not nested) agree on it', async () => {
    const byArea = await read(director(), 'cases', { period: '2025-Q4', by: 'userArea,sex' });
    const byAge = await read(director(), 'cases', { period: '2025-Q4', by: 'ageBand,sex' });
    const sexMargins = (body: TableBody, other: string) =>
      rowsOf(body)
        .filter((row) => row.key[other] === null)
        .map((row) => [row.key.sex, row.count]);
    expect(sexMargins(byArea, 'userArea')).toEqual(sexMargins(byAge, 'ageBand'));
  });
});

describe('releases are frozen', () => {
  it('a record entered later for a released month changes nothing that was published', async () => {
    const before = await read(director(), 'cases', { period: '2025-03', by: 'userArea' });
    const [citizen] = await t.app.db
      .insert(citizens)
      .values({
        organisationId: w.a.id,
        fiscalCode: 'VRDLCU90A01F205Z',
        givenName: 'Luca',
        familyName: 'Verdi',
        sex: 'M',
        birthDate: '1990-01-01',
        birthPlace: 'F205',
        citizenship: '100',
        residence: { municipality: 'F205' },
      })
      .returning();
    await t.app.db.insert(cases).values({
      organisationId: w.a.id,
      citizenId: citizen!.id,
      teamId: w.a.teams.anziani,
      userArea: 'elderly',
      siussArea: 2,
      referralSource: 'hospital',
      referralDate: '2025-03-10',
      complexity: 1,
      createdBy: w.a.staff.socialWorker.id,
    });
    const after = await read(director(), 'cases', { period: '2025-03', by: 'userArea' });
    expect(after).toEqual(before);
  });
});

describe('CSV', () => {
  it('answers text/csv with the same numbers, _T for totals and an empty count for suppressed cells', async () => {
    const query = { period: '2025-Q1', by: 'userArea,ageBand' };
    const json = await read(director(), 'cases', query);
    const response = await getTable(t, director(), 'cases', query, 'text/csv');
    bodies.push(response.body);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = parse(response.body) as string[][];
    expect(header).toEqual(['indicator', 'organisation', 'period', 'userArea', 'ageBand', 'count']);
    const expected = rowsOf(json).map((row) => [
      'cases',
      'F205',
      '2025-Q1',
      row.key.userArea ?? '_T',
      row.key.ageBand ?? '_T',
      row.count === null ? '' : String(row.count),
    ]);
    expect(lines).toEqual(expected);
    expect(lines.some((line) => line[5] === '')).toBe(true);
    const preferred = await getTable(t, director(), 'cases', query, 'application/json;q=0.5, text/csv');
    expect(preferred.headers['content-type']).toMatch(/^text\/csv/);
  });
});

describe('who may read which organisation', () => {
  it('roles without indicators:read get 403; director, elected official and regional client of A get 200', async () => {
    const query = { period: '2025', by: 'sex' };
    const expected: Record<string, number> = {
      socialWorker: 403,
      socialWorker2: 403,
      educator: 403,
      coordinator: 403,
      coordinatorOther: 403,
      director: 200,
      admin: 403,
      auditor: 403,
      electedOfficial: 200,
    };
    for (const key of staffKeys) {
      const response = await getTable(t, w.a.staff[key].subject, 'cases', query);
      expect(response.statusCode, key).toBe(expected[key]);
    }
    expect((await getTable(t, w.a.clients.regional.subject, 'interventions', query)).statusCode).toBe(200);
    expect((await getTable(t, w.a.clients.siuss.subject, 'cases', query)).statusCode).toBe(403);
    expect((await getTable(t, w.platformAdmin.subject, 'cases', query)).statusCode).toBe(403);
    expect((await t.as(null, { method: 'GET', url: '/v1/indicators/cases?period=2025' })).statusCode).toBe(
      401,
    );
  });

  it("another organisation's director, elected official or regional client cannot name A (404); their own is fine", async () => {
    for (const subject of [
      w.b.staff.director.subject,
      w.b.staff.electedOfficial.subject,
      w.b.clients.regional.subject,
    ]) {
      const response = await getTable(t, subject, 'cases', { period: '2025', organisation: 'F205' });
      bodies.push(response.body);
      expect(response.statusCode).toBe(404);
      const own = await read(subject, 'cases', { period: '2025' });
      expect(own).toMatchObject({ organisation: 'L219', total: 0 });
    }
    // Naming one's own organisation is the same as the default; an unknown code does not exist.
    expect((await read(director(), 'cases', { period: '2025', organisation: 'F205' })).organisation).toBe(
      'F205',
    );
    expect(
      (await getTable(t, director(), 'cases', { period: '2025', organisation: 'Z999' })).statusCode,
    ).toBe(404);
  });

  it('a regional client serving A and B reads both, and not a third organisation', async () => {
    const [third] = await t.app.db
      .insert(organisations)
      .values({ name: 'Comune C', belfioreCode: 'A794', istatCode: '016024' })
      .returning();
    const [client] = await t.app.db
      .insert(apiClients)
      .values({
        organisationId: w.a.id,
        subject: 'region-lombardia',
        name: 'Osservatorio regionale',
        role: 'regional',
      })
      .returning();
    await t.app.db.insert(apiClientOrganisations).values({ apiClientId: client!.id, organisationId: w.b.id });
    const own = await read('region-lombardia', 'cases', { period: '2025-Q1' });
    expect(own.organisation).toBe('F205');
    expect(own.total).toBe(referenceCount(fixture.cases, '2025-Q1', {}));
    expect(
      (await read('region-lombardia', 'interventions', { period: '2025', organisation: 'L219' }))
        .organisation,
    ).toBe('L219');
    const refused = await getTable(t, 'region-lombardia', 'cases', {
      period: '2025',
      organisation: third!.belfioreCode,
    });
    expect(refused.statusCode).toBe(404);
    // A's own regional client serves only A.
    expect(
      (await getTable(t, w.a.clients.regional.subject, 'cases', { period: '2025', organisation: 'L219' }))
        .statusCode,
    ).toBe(404);
  });

  it('records who read which table in the audit trail, with codes and ids only', async () => {
    await read(w.a.staff.electedOfficial.subject, 'cases', { period: '2025-08', by: 'sex' });
    const { rows } = await t.app.db.execute<{
      action: string;
      outcome: string;
      details: Record<string, unknown>;
      citizen_id: string | null;
    }>(
      sql`select action, outcome, details, citizen_id from audit_events where actor_id = ${w.a.staff.electedOfficial.id} order by seq desc limit 1`,
    );
    expect(rows[0]).toEqual({
      action: 'indicators.read',
      outcome: 'success',
      citizen_id: null,
      details: { organisationId: w.a.id, indicator: 'cases', period: '2025-08', dimensions: ['sex'] },
    });
  });
});

describe('no identifiers', () => {
  it('no response of this file holds a UUID, a codice fiscale, a name, an address or a full date', async () => {
    for (const indicator of ['cases', 'interventions']) {
      for (const by of ['municipality', 'userArea,municipality', 'ageBand,sex']) {
        for (const accept of ['application/json', 'text/csv']) {
          const response = await getTable(t, director(), indicator, { period: '2025-Q3', by }, accept);
          bodies.push(response.body);
        }
      }
    }
    const bad = await getTable(t, director(), 'cases', { period: '2025-03-01', by: 'RSSMRA80A01F205X' });
    bodies.push(bad.body);
    expect(bad.statusCode).toBe(400);
    expect(bodies.length).toBeGreaterThan(40);
    for (const body of bodies) {
      for (const [name, pattern] of Object.entries(forbiddenPatterns)) {
        expect(pattern.test(body), `${name} in ${body.slice(0, 200)}`).toBe(false);
      }
    }
  });

  it('stores releases and extracts with codes only', async () => {
    const [releases] = await t.app.db.select({ value: count() }).from(indicatorReleases);
    expect(releases!.value).toBeGreaterThan(0);
    const { rows } = await t.app.db.execute<{ text: string }>(
      sql`select string_agg(master::text, '') || string_agg(dimensions, '') as text from indicator_releases
          union all select string_agg(cells::text, '') from indicator_extracts`,
    );
    for (const { text } of rows) {
      for (const [name, pattern] of Object.entries(forbiddenPatterns))
        expect(pattern.test(text), name).toBe(false);
    }
  });
});
