import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { insertOffice, insertService } from './fixtures.js';

let t: TestApp;
let w: World;
let admin: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  admin = w.a.staff.admin.subject;
});
afterAll(async () => t?.close());

const count = async (table: 'services' | 'offices') =>
  (await t.app.pool.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;

const validService = {
  name: 'Servizio di assistenza domiciliare',
  description: 'Aiuto a domicilio per anziani',
  siussCode: 'A1.01',
  periodic: true,
  meansTestType: 1,
};

describe('offices', () => {
  it('an admin creates, reads and changes an office; the ETag follows the version', async () => {
    const created = await t.as(admin, {
      method: 'POST',
      url: '/v1/offices',
      payload: {
        name: 'Sede centrale',
        address: 'Piazza Duomo 1, Milano',
        openingHours: 'lun-ven 9-12',
        phone: '+39 02 1234567',
        email: 'servizi.sociali@comune.example.it',
        accessibilityNotes: 'Ingresso senza gradini',
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const office = created.json();
    expect(office).toMatchObject({
      organisationId: w.a.id,
      name: 'Sede centrale',
      phone: '+39 02 1234567',
      accessibilityNotes: 'Ingresso senza gradini',
      version: 1,
    });

    const read = await t.as(w.a.staff.educator.subject, { method: 'GET', url: `/v1/offices/${office.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');

    const patched = await t.as(admin, {
      method: 'PATCH',
      url: `/v1/offices/${office.id}`,
      headers: { 'if-match': '"1"' },
      payload: { openingHours: 'lun-gio 9-13', phone: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.json()).toMatchObject({
      openingHours: 'lun-gio 9-13',
      phone: null,
      name: 'Sede centrale',
      version: 2,
    });
  });

  it('updates need If-Match (428) and the current one (412)', async () => {
    const { id } = await insertOffice(t.app.db, w.a.id);
    const url = `/v1/offices/${id}`;
    expect((await t.as(admin, { method: 'PATCH', url, payload: { name: 'X sede' } })).statusCode).toBe(428);
    expect(
      (
        await t.as(admin, {
          method: 'PATCH',
          url,
          headers: { 'if-match': '"7"' },
          payload: { name: 'X sede' },
        })
      ).statusCode,
    ).toBe(412);
    const { rows } = await t.app.pool.query(`select name, version from offices where id = $1`, [id]);
    expect(rows[0].version).toBe(1);
  });

  it('lists the organisation’s offices only, with a cursor', async () => {
    const bOffice = await insertOffice(t.app.db, w.b.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.as(w.a.staff.director.subject, {
        method: 'GET',
        url: `/v1/offices?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(page.statusCode).toBe(200);
      expect(page.json().items.length).toBeLessThanOrEqual(1);
      seen.push(...page.json().items.map((o: { id: string }) => o.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    const { rows } = await t.app.pool.query(
      `select id from offices where organisation_id = $1 order by created_at desc, id desc`,
      [w.a.id],
    );
    expect(seen).toEqual(rows.map((r) => r.id));
    expect(seen).not.toContain(bOffice.id);
  });

  it('invalid office input is 400 naming the field, and writes nothing', async () => {
    const before = await count('offices');
    const cases: [object, string][] = [
      [{ address: 'Via 1', openingHours: '9-12' }, 'body/name'],
      [{ name: 'Sede', address: 'Via 1', openingHours: '9-12', email: 'not-an-email' }, 'body/email'],
      [{ name: 'Sede', address: 'Via 1', openingHours: '9-12', phone: 'call me' }, 'body/phone'],
      [{ name: '   ', address: 'Via 1', openingHours: '9-12' }, 'body/name'],
    ];
    for (const [payload, field] of cases) {
      const r = await t.as(admin, { method: 'POST', url: '/v1/offices', payload });
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.json().invalidParams.map((p: { name: string }) => p.name)).toContain(field);
    }
    expect(await count('offices')).toBe(before);
  });
});

describe('services', () => {
  it('an admin adds a service with its office, user areas, SIUSS code and means test', async () => {
    const office = await insertOffice(t.app.db, w.a.id);
    const r = await t.as(admin, {
      method: 'POST',
      url: '/v1/services',
      payload: {
        ...validService,
        eligibility: 'Residenti over 65',
        howToApply: 'Domanda allo sportello',
        officeId: office.id,
        userAreas: ['elderly', 'disability'],
        siussCode: 'A1.01.02',
        meansTestType: 3,
      },
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('"1"');
    expect(r.json()).toMatchObject({
      organisationId: w.a.id,
      officeId: office.id,
      userAreas: ['elderly', 'disability'],
      siussCode: 'A1.01.02',
      periodic: true,
      meansTestType: 3,
      active: true,
      eligibility: 'Residenti over 65',
    });
  });

  it('an office of another organisation is refused (400 body/officeId), nothing written', async () => {
    const bOffice = await insertOffice(t.app.db, w.b.id);
    const before = await count('services');
    const r = await t.as(admin, {
      method: 'POST',
      url: '/v1/services',
      payload: { ...validService, officeId: bOffice.id },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().invalidParams).toEqual([
      { name: 'body/officeId', reason: 'names no office of this organisation' },
    ]);
    expect(await count('services')).toBe(before);
  });

  it('`active: false` withdraws a service; the filter finds it; it can be reinstated', async () => {
    const service = await insertService(t.app.db, w.a.id, { name: 'Pasti a domicilio' });
    const withdrawn = await t.as(admin, {
      method: 'PATCH',
      url: `/v1/services/${service.id}`,
      headers: { 'if-match': '"1"' },
      payload: { active: false },
    });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({ active: false, version: 2 });
    const inactive = await t.as(w.a.staff.socialWorker.subject, {
      method: 'GET',
      url: '/v1/services?active=false&limit=100',
    });
    expect(inactive.json().items.map((s: { id: string }) => s.id)).toContain(service.id);
    const active = await t.as(w.a.staff.socialWorker.subject, {
      method: 'GET',
      url: '/v1/services?active=true&limit=100',
    });
    expect(active.json().items.map((s: { id: string }) => s.id)).not.toContain(service.id);
    const back = await t.as(admin, {
      method: 'PATCH',
      url: `/v1/services/${service.id}`,
      headers: { 'if-match': '"2"' },
      payload: { active: true, eligibility: null },
    });
    expect(back.json()).toMatchObject({ active: true, eligibility: null, version: 3 });
  });

  it('filters by user area and office, and pages with a cursor', async () => {
    const office = await insertOffice(t.app.db, w.a.id);
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (await insertService(t.app.db, w.a.id, { officeId: office.id, userAreas: ['immigrants'] })).id,
      );
    const first = await t.as(admin, { method: 'GET', url: `/v1/services?officeId=${office.id}&limit=2` });
    expect(first.json().items).toHaveLength(2);
    const second = await t.as(admin, {
      method: 'GET',
      url: `/v1/services?officeId=${office.id}&limit=2&cursor=${first.json().nextCursor}`,
    });
    expect(second.json().nextCursor).toBeNull();
    // Newest first by (createdAt, id): rows inserted within one millisecond are ordered by id.
    const items: { id: string; createdAt: string }[] = [...first.json().items, ...second.json().items];
    expect(new Set(items.map((s) => s.id))).toEqual(new Set(ids));
    const expected = [...items].sort((x, y) => y.createdAt.localeCompare(x.createdAt) || y.id.localeCompare(x.id));
    expect(items.map((s) => s.id)).toEqual(expected.map((s) => s.id));
    const byArea = await t.as(admin, { method: 'GET', url: '/v1/services?userArea=immigrants&limit=100' });
    expect(
      byArea
        .json()
        .items.map((s: { id: string }) => s.id)
        .sort(),
    ).toEqual([...ids].sort());
  });

  it('another organisation’s services are not listed, read or changed (404)', async () => {
    const bService = await insertService(t.app.db, w.b.id);
    const list = await t.as(admin, { method: 'GET', url: '/v1/services?limit=100' });
    expect(list.json().items.map((s: { id: string }) => s.id)).not.toContain(bService.id);
    expect((await t.as(admin, { method: 'GET', url: `/v1/services/${bService.id}` })).statusCode).toBe(404);
    const patch = await t.as(admin, {
      method: 'PATCH',
      url: `/v1/services/${bService.id}`,
      headers: { 'if-match': '"1"' },
      payload: { active: false },
    });
    expect(patch.statusCode).toBe(404);
    const { rows } = await t.app.pool.query(`select active, version from services where id = $1`, [
      bService.id,
    ]);
    expect(rows[0]).toEqual({ active: true, version: 1 });
  });

  it('a retried POST with the same Idempotency-Key creates one service; another body is refused (422)', async () => {
    const request = {
      method: 'POST' as const,
      url: '/v1/services',
      headers: { 'idempotency-key': 'service-key-0001' },
      payload: { ...validService, name: 'Telesoccorso' },
    };
    const first = await t.as(admin, request);
    const second = await t.as(admin, request);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect((await t.as(admin, { ...request, payload: { ...validService, name: 'Altro' } })).statusCode).toBe(
      422,
    );
    const { rows } = await t.app.pool.query(
      `select count(*)::int as n from services where name = 'Telesoccorso'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('changes are audited with the service id', async () => {
    const service = await insertService(t.app.db, w.a.id);
    await t.as(admin, {
      method: 'PATCH',
      url: `/v1/services/${service.id}`,
      headers: { 'if-match': '"1"' },
      payload: { siussCode: 'B2.05' },
    });
    const { rows } = await t.app.pool.query(
      `select action, outcome, actor_id, resource_id, details from audit_events where action = 'service.update' order by seq desc limit 1`,
    );
    expect(rows[0]).toMatchObject({
      outcome: 'success',
      actor_id: w.a.staff.admin.id,
      resource_id: service.id,
      details: { changed: ['siussCode'] },
    });
  });
});

describe('service validators (property-based)', () => {
  const siussPattern = /^[A-Z][0-9]\.[0-9]{2}(\.[0-9]{2})?$/;
  const digit = fc.integer({ min: 0, max: 9 }).map(String);
  const validCode = fc
    .tuple(
      fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
      digit,
      digit,
      digit,
      fc.option(fc.tuple(digit, digit), { nil: undefined }),
    )
    .map(([l, a, b, c, extra]) => `${l}${a}.${b}${c}${extra ? `.${extra.join('')}` : ''}`);
  const invalidCode = fc
    .oneof(
      fc.string({ maxLength: 12 }),
      validCode.map((c) => c.toLowerCase()),
      validCode.map((c) => c.replace('.', '')),
      validCode.map((c) => `${c}0`),
      validCode.map((c) => ` ${c}`),
    )
    .filter((c) => !siussPattern.test(c));

  it('an invalid SIUSS code is 400 naming body/siussCode, and writes nothing', async () => {
    const before = await count('services');
    await fc.assert(
      fc.asyncProperty(invalidCode, async (siussCode) => {
        const r = await t.as(admin, {
          method: 'POST',
          url: '/v1/services',
          payload: { ...validService, siussCode },
        });
        expect(r.statusCode).toBe(400);
        expect(r.json().invalidParams.map((p: { name: string }) => p.name)).toEqual(['body/siussCode']);
      }),
      { numRuns: 60 },
    );
    expect(await count('services')).toBe(before);
  });

  it('every well-formed SIUSS code is accepted and stored as given', async () => {
    await fc.assert(
      fc.asyncProperty(validCode, async (siussCode) => {
        const r = await t.as(admin, {
          method: 'POST',
          url: '/v1/services',
          payload: { ...validService, siussCode },
        });
        expect(r.statusCode).toBe(201);
        expect(r.json().siussCode).toBe(siussCode);
      }),
      { numRuns: 25 },
    );
  });

  it('a means test type outside 1–4 (or not an integer) is 400 naming body/meansTestType, and writes nothing', async () => {
    const before = await count('services');
    const badMeansTest = fc.oneof(
      fc.integer().filter((n) => n < 1 || n > 4),
      fc.double({ min: 1, max: 4, noNaN: true }).filter((n) => !Number.isInteger(n)),
      fc.constantFrom('1', null, true),
    );
    await fc.assert(
      fc.asyncProperty(badMeansTest, async (meansTestType) => {
        const r = await t.as(admin, {
          method: 'POST',
          url: '/v1/services',
          payload: { ...validService, meansTestType },
        });
        expect(r.statusCode).toBe(400);
        expect(r.json().invalidParams.map((p: { name: string }) => p.name)).toEqual(['body/meansTestType']);
      }),
      { numRuns: 40 },
    );
    expect(await count('services')).toBe(before);
  });

  it('unknown or repeated user areas are 400 naming body/userAreas', async () => {
    for (const userAreas of [['elderly', 'elderly'], ['martians'], 'elderly']) {
      const r = await t.as(admin, {
        method: 'POST',
        url: '/v1/services',
        payload: { ...validService, userAreas },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().invalidParams[0].name).toMatch(/^body\/userAreas/);
    }
  });
});
