import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { everyone, matrixMismatches, type Expectations } from './access-matrix.js';
import { insertOffice, insertService } from './fixtures.js';

/**
 * Who may use the catalogue endpoints: every staff member reads their organisation's catalogue, only its
 * admin changes it, API clients and the platform admin have no business there, and another organisation's
 * services and offices do not exist (404).
 */
let t: TestApp;
let w: World;
let serviceId: string;
let officeId: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  officeId = (await insertOffice(t.app.db, w.a.id)).id;
  serviceId = (await insertService(t.app.db, w.a.id, { officeId })).id;
});
afterAll(async () => t?.close());

const versionOf = async (table: 'services' | 'offices', id: string) =>
  (await t.app.pool.query<{ version: number }>(`select version from ${table} where id = $1`, [id])).rows[0]!
    .version;

const staffRead = everyone(200, { regional: 403, siuss: 403 });
const manage = (adminStatus: number) => everyone(403, { admin: adminStatus });
type MatrixRequest = Parameters<typeof matrixMismatches>[3];

const serviceBody = {
  name: 'Assistenza domiciliare anziani',
  description: 'Aiuto a domicilio',
  siussCode: 'A2.03',
  periodic: true,
  meansTestType: 1,
};
const officeBody = { name: 'Sede nord', address: 'Via Verdi 3', openingHours: 'mar e gio 9-12' };

describe('catalogue: allow/deny matrix', () => {
  const cases: [string, Expectations, MatrixRequest][] = [
    [
      'POST /v1/services',
      { a: manage(201), b: manage(201), platformAdmin: 403, anonymous: 401 },
      () => ({ method: 'POST', url: '/v1/services', payload: serviceBody }),
    ],
    [
      'GET /v1/services',
      { a: staffRead, b: staffRead, platformAdmin: 403, anonymous: 401 },
      () => ({ method: 'GET', url: '/v1/services' }),
    ],
    [
      'GET /v1/services/{serviceId}',
      { a: staffRead, b: everyone(404, { regional: 403, siuss: 403 }), platformAdmin: 403, anonymous: 401 },
      () => ({ method: 'GET', url: `/v1/services/${serviceId}` }),
    ],
    [
      'PATCH /v1/services/{serviceId}',
      { a: manage(200), b: manage(404), platformAdmin: 403, anonymous: 401 },
      async () => ({
        method: 'PATCH',
        url: `/v1/services/${serviceId}`,
        headers: { 'if-match': `"${await versionOf('services', serviceId)}"` },
        payload: { eligibility: 'Residenti over 65' },
      }),
    ],
    [
      'POST /v1/offices',
      { a: manage(201), b: manage(201), platformAdmin: 403, anonymous: 401 },
      () => ({ method: 'POST', url: '/v1/offices', payload: officeBody }),
    ],
    [
      'GET /v1/offices',
      { a: staffRead, b: staffRead, platformAdmin: 403, anonymous: 401 },
      () => ({ method: 'GET', url: '/v1/offices' }),
    ],
    [
      'GET /v1/offices/{officeId}',
      { a: staffRead, b: everyone(404, { regional: 403, siuss: 403 }), platformAdmin: 403, anonymous: 401 },
      () => ({ method: 'GET', url: `/v1/offices/${officeId}` }),
    ],
    [
      'PATCH /v1/offices/{officeId}',
      { a: manage(200), b: manage(404), platformAdmin: 403, anonymous: 401 },
      async () => ({
        method: 'PATCH',
        url: `/v1/offices/${officeId}`,
        headers: { 'if-match': `"${await versionOf('offices', officeId)}"` },
        payload: { phone: '+39 02 1234567' },
      }),
    ],
    [
      'GET /v1/public/organisations/{belfioreCode}/services',
      { a: everyone(200), b: everyone(200), platformAdmin: 200, anonymous: 200 },
      () => ({ method: 'GET', url: `/v1/public/organisations/${w.a.belfioreCode}/services` }),
    ],
    [
      'GET /v1/public/organisations/{belfioreCode}/offices',
      { a: everyone(200), b: everyone(200), platformAdmin: 200, anonymous: 200 },
      () => ({ method: 'GET', url: `/v1/public/organisations/${w.a.belfioreCode}/offices` }),
    ],
  ];

  it.each(cases)('%s', async (_name, expectations, request) => {
    expect(await matrixMismatches(t, w, expectations, request)).toEqual([]);
  });

  it('the matrix changed only what the allowed admins asked for', async () => {
    const { rows } = await t.app.pool.query(
      `select organisation_id, count(*)::int as n from services where name = $1 group by 1 order by 1`,
      [serviceBody.name],
    );
    expect(rows.map((r) => r.n)).toEqual([1, 1]);
    expect(new Set(rows.map((r) => r.organisation_id))).toEqual(new Set([w.a.id, w.b.id]));
    expect(await versionOf('services', serviceId)).toBe(2);
    expect(await versionOf('offices', officeId)).toBe(2);
  });
});
