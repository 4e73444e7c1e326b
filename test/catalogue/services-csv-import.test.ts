import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServicesCsv } from '../../src/modules/catalogue/services-csv-import.js';
import { AppError } from '../../src/shared/errors.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { insertOffice } from './fixtures.js';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  await insertOffice(t.app.db, w.a.id, { name: 'Sportello Sociale Centro' });
  await insertOffice(t.app.db, w.b.id, { name: 'Sede di B' });
});
afterAll(async () => t?.close());

const servicesOf = async (organisationId: string) =>
  (
    await t.app.pool.query(
      `select s.name, s.eligibility, s.siuss_code, s.periodic, s.means_test_type, s.user_areas, o.name as office
       from services s left join offices o on o.id = s.office_id where s.organisation_id = $1 order by s.name`,
      [organisationId],
    )
  ).rows;

async function importError(organisationId: string, csv: string): Promise<AppError> {
  const error = await importServicesCsv(t.app.db, organisationId, csv).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('importServicesCsv', () => {
  it('imports a semicolon-separated file with a BOM, naming offices and user areas', async () => {
    const csv =
      '\uFEFFname;description;eligibility;how_to_apply;office;user_areas;siuss_code;periodic;means_test_type\n' +
      'Assistenza domiciliare;Aiuto a casa;Over 65;Sportello;sportello sociale centro;elderly|disability;A1.01;sì;1\n' +
      'Contributo affitto;"Sostegno; una tantum";;;;poverty_adults;B2.03.01;no;4\n';
    expect(await importServicesCsv(t.app.db, w.a.id, csv)).toEqual({ created: 2, updated: 0 });
    expect(await servicesOf(w.a.id)).toEqual([
      {
        name: 'Assistenza domiciliare',
        eligibility: 'Over 65',
        siuss_code: 'A1.01',
        periodic: true,
        means_test_type: 1,
        user_areas: ['elderly', 'disability'],
        office: 'Sportello Sociale Centro',
      },
      {
        name: 'Contributo affitto',
        eligibility: null,
        siuss_code: 'B2.03.01',
        periodic: false,
        means_test_type: 4,
        user_areas: ['poverty_adults'],
        office: null,
      },
    ]);
  });

  it('a second import updates services by name (ignoring case) and clears emptied cells', async () => {
    const csv =
      'name,description,siuss_code,periodic,means_test_type,eligibility\n' +
      'ASSISTENZA DOMICILIARE,Aiuto a casa e pasti,A1.02,true,2,\n' +
      'Telesoccorso,Allarme a domicilio,A3.01,yes,4,Anziani soli\n';
    expect(await importServicesCsv(t.app.db, w.a.id, csv)).toEqual({ created: 1, updated: 1 });
    const rows = await servicesOf(w.a.id);
    expect(rows.map((r) => [r.name, r.siuss_code, r.eligibility, r.office])).toEqual([
      ['ASSISTENZA DOMICILIARE', 'A1.02', null, null],
      ['Contributo affitto', 'B2.03.01', null, null],
      ['Telesoccorso', 'A3.01', 'Anziani soli', null],
    ]);
  });

  it('is all or nothing: any bad row names its line and column, and nothing is written', async () => {
    const before = await servicesOf(w.a.id);
    const csv =
      'name,description,office,user_areas,siuss_code,periodic,means_test_type\n' +
      'Nuovo servizio,Descrizione,,,C1.01,true,1\n' +
      'Servizio errato,Descrizione,Sede di B,martians,a1.01,forse,7\n' +
      'Nuovo servizio,Doppione,,,C1.02,false,2\n';
    const error = await importError(w.a.id, csv);
    expect(error.code).toBe('validation_failed');
    expect(error.extras.invalidParams).toEqual(
      expect.arrayContaining([
        { name: 'row 3/office', reason: 'names no office of this organisation' },
        expect.objectContaining({ name: 'row 3/user_areas' }),
        expect.objectContaining({ name: 'row 3/siuss_code' }),
        expect.objectContaining({ name: 'row 3/periodic' }),
        expect.objectContaining({ name: 'row 3/means_test_type' }),
        { name: 'row 4/name', reason: 'repeats a service named earlier in the file' },
      ]),
    );
    expect(error.extras.invalidParams!.some((p) => p.name.startsWith('row 2/'))).toBe(false);
    expect(await servicesOf(w.a.id)).toEqual(before);
  });

  it('refuses unknown and missing columns', async () => {
    const error = await importError(w.a.id, 'name,descripton,siuss_code,periodic\nX,Y,A1.01,true\n');
    expect(error.extras.invalidParams).toEqual([
      { name: 'header/descripton', reason: 'is not a known column' },
      { name: 'header/description', reason: 'is required' },
      { name: 'header/means_test_type', reason: 'is required' },
    ]);
  });

  it('refuses malformed CSV and an unknown organisation', async () => {
    expect((await importError(w.a.id, 'name,description\n"unterminated,x\n')).code).toBe('validation_failed');
    expect((await importError(randomUUID(), 'name\n')).code).toBe('not_found');
  });

  it('writes only into the organisation it is given', async () => {
    const csv =
      'name,description,siuss_code,periodic,means_test_type,office\nServizio B,Descrizione,D1.01,false,3,sede di b\n';
    expect(await importServicesCsv(t.app.db, w.b.id, csv)).toEqual({ created: 1, updated: 0 });
    expect((await servicesOf(w.b.id)).map((r) => [r.name, r.office])).toEqual([['Servizio B', 'Sede di B']]);
    expect((await servicesOf(w.a.id)).map((r) => r.name)).not.toContain('Servizio B');
  });
});
