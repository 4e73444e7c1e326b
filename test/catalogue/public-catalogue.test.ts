import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { insertOffice, insertService } from './fixtures.js';

/** The carta dei servizi as citizens' portals read it: no token, cacheable, rate-limited, nothing personal. */
let t: TestApp;
let w: World;
let office: Awaited<ReturnType<typeof insertOffice>>;
let active: Awaited<ReturnType<typeof insertService>>;
let withdrawn: Awaited<ReturnType<typeof insertService>>;
let otherOrganisation: Awaited<ReturnType<typeof insertService>>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  office = await insertOffice(t.app.db, w.a.id, {
    name: 'Sportello sociale',
    phone: '02 1234567',
    email: 'sportello@comune.example.it',
    accessibilityNotes: 'Rampa di accesso',
  });
  active = await insertService(t.app.db, w.a.id, {
    name: 'Assistenza domiciliare',
    officeId: office.id,
    userAreas: ['elderly'],
    eligibility: 'Over 65',
    howToApply: 'Allo sportello',
  });
  withdrawn = await insertService(t.app.db, w.a.id, { name: 'Servizio ritirato', active: false });
  otherOrganisation = await insertService(t.app.db, w.b.id, { name: 'Servizio di B' });
});
afterAll(async () => t?.close());

const servicesUrl = () => `/v1/public/organisations/${w.a.belfioreCode}/services`;
const officesUrl = () => `/v1/public/organisations/${w.a.belfioreCode}/offices`;

describe('public catalogue', () => {
  it('serves the active services without a token, with cache headers', async () => {
    const r = await t.as(null, { method: 'GET', url: servicesUrl() });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=300');
    expect(r.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(r.json()).toEqual({
      organisation: { belfioreCode: w.a.belfioreCode, name: 'Comune a' },
      items: [
        {
          id: active.id,
          name: 'Assistenza domiciliare',
          description: 'Descrizione del servizio',
          eligibility: 'Over 65',
          howToApply: 'Allo sportello',
          officeId: office.id,
          userAreas: ['elderly'],
          siussCode: 'A1.01',
          periodic: true,
          meansTestType: 1,
        },
      ],
    });
    const ids = JSON.stringify(r.json());
    expect(ids).not.toContain(withdrawn.id);
    expect(ids).not.toContain(otherOrganisation.id);
  });

  it('serves the offices without a token', async () => {
    const r = await t.as(null, { method: 'GET', url: officesUrl() });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=300');
    expect(r.json().items).toEqual([
      {
        id: office.id,
        name: 'Sportello sociale',
        address: 'Via Roma 1, Milano',
        openingHours: 'lun-ven 9-12',
        phone: '02 1234567',
        email: 'sportello@comune.example.it',
        accessibilityNotes: 'Rampa di accesso',
      },
    ]);
  });

  it('carries nothing personal and no internal id other than service and office ids', async () => {
    const staffRows = await t.app.pool.query<{ id: string; subject: string; family_name: string }>(
      `select id, subject, family_name from staff`,
    );
    const internalIds = [w.a.id, w.b.id, w.citizenId, w.caseId, w.a.teams.minori, w.a.teams.anziani];
    for (const url of [servicesUrl(), officesUrl()]) {
      const body = (await t.as(null, { method: 'GET', url })).body;
      for (const id of internalIds) expect(body).not.toContain(id);
      for (const s of staffRows.rows) {
        expect(body).not.toContain(s.id);
        expect(body).not.toContain(s.subject);
      }
      expect(body).not.toMatch(/RSSMRA80A01F205X|Rossi|Mario|version|createdAt|organisationId|createdBy/);
    }
  });

  it('answers 304 to a matching If-None-Match (also weak, or in a list), 200 to a stale one', async () => {
    const first = await t.as(null, { method: 'GET', url: servicesUrl() });
    const etag = first.headers.etag as string;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await t.as(null, {
        method: 'GET',
        url: servicesUrl(),
        headers: { 'if-none-match': header },
      });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
    }
    const stale = await t.as(null, {
      method: 'GET',
      url: servicesUrl(),
      headers: { 'if-none-match': '"stale"' },
    });
    expect(stale.statusCode).toBe(200);
    expect(stale.json().items).toHaveLength(1);
  });

  it('the ETag changes when the catalogue changes, and is stable otherwise', async () => {
    const before = (await t.as(null, { method: 'GET', url: officesUrl() })).headers.etag;
    expect((await t.as(null, { method: 'GET', url: officesUrl() })).headers.etag).toBe(before);
    await t.app.pool.query(`update offices set opening_hours = 'lun-ven 8-14' where id = $1`, [office.id]);
    const after = await t.as(null, {
      method: 'GET',
      url: officesUrl(),
      headers: { 'if-none-match': before as string },
    });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before);
    expect(after.json().items[0].openingHours).toBe('lun-ven 8-14');
  });

  it('an unknown Belfiore code is 404, a malformed one 400', async () => {
    const unknown = await t.as(null, { method: 'GET', url: '/v1/public/organisations/Z999/services' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    const malformed = await t.as(null, { method: 'GET', url: '/v1/public/organisations/milano/offices' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().invalidParams[0].name).toBe('params/belfioreCode');
  });

  it('is not audited (no personal data, no caller)', async () => {
    await t.as(null, { method: 'GET', url: servicesUrl() });
    const { rows } = await t.app.pool.query(
      `select count(*)::int as n from audit_events where action like 'public%' or resource_type = 'service'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('the documented operation needs no security', async () => {
    const document = t.app.swagger() as {
      paths: Record<string, Record<string, { security?: unknown[]; 'x-permission'?: string }>>;
    };
    const operation = document.paths['/v1/public/organisations/{belfioreCode}/services']!.get!;
    expect(operation.security).toEqual([]);
    expect(operation['x-permission']).toBe('public');
  });
});

describe('public catalogue rate limit', () => {
  let limited: TestApp;
  let belfiore: string;
  let staffSubject: string;
  beforeAll(async () => {
    limited = await buildTestApp({ env: { PUBLIC_RATE_LIMIT_MAX: '3' } });
    const world = await seedWorld(limited.app.db);
    belfiore = world.a.belfioreCode;
    staffSubject = world.a.staff.socialWorker.subject;
  });
  afterAll(async () => limited?.close());

  it('has its own, tighter limit: the fourth request in the window is 429 with Retry-After', async () => {
    const url = `/v1/public/organisations/${belfiore}/services`;
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const r = await limited.as(null, { method: 'GET', url });
      statuses.push(r.statusCode);
      expect(r.headers['ratelimit-limit']).toBe('3');
    }
    const refused = await limited.as(null, { method: 'GET', url });
    expect([...statuses, refused.statusCode]).toEqual([200, 200, 200, 429]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Staff keep the general limit.
    const staffRead = await limited.as(staffSubject, { method: 'GET', url: '/v1/services' });
    expect(staffRead.statusCode).toBe(200);
    expect(staffRead.headers['ratelimit-limit']).toBe('1000000');
  });
});
