import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { citizenBody, countRows, createCitizen, lastAudit, openCase } from '../cases/fixtures.js';
import { freshFiscalCode, temporaryCode } from './fiscal-codes.js';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
});
afterAll(async () => t?.close());

const get = (subject: string, id: string) => t.as(subject, { method: 'GET', url: `/v1/citizens/${id}` });
const search = (subject: string, payload: object) =>
  t.as(subject, { method: 'POST', url: '/v1/citizens/search', payload });

describe('registering citizens', () => {
  it('stores the registry data, normalises the code and answers with an ETag', async () => {
    const code = freshFiscalCode(true);
    const body = citizenBody({
      fiscalCode: ` ${code.toLowerCase()} `,
      contacts: { phone: '+39 02 1234567', email: 'g.verdi@example.org' },
    });
    const r = await t.as(w.a.staff.socialWorker.subject, {
      method: 'POST',
      url: '/v1/citizens',
      payload: body,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers.etag).toBe('"1"');
    expect(r.json()).toMatchObject({
      fiscalCode: code,
      fiscalCodeTemporary: false,
      givenName: 'Giulia',
      familyName: 'Verdi',
      sex: 'F',
      birthDate: '1985-03-12',
      birthPlace: 'F205',
      citizenship: '100',
      residence: { street: 'Via Dante 3', postalCode: '20121', municipality: 'F205', province: 'MI' },
      domicile: null,
      contacts: { phone: '+39 02 1234567', email: 'g.verdi@example.org' },
      cases: [],
      version: 1,
    });
    const { rows } = await t.app.pool.query(
      'select organisation_id, fiscal_code from citizens where id = $1',
      [r.json().id],
    );
    expect(rows[0]).toEqual({ organisation_id: w.a.id, fiscal_code: code });
    const event = await lastAudit(t, 'citizen.create');
    expect(event).toMatchObject({
      outcome: 'success',
      actor_id: w.a.staff.socialWorker.id,
      citizen_id: r.json().id,
      resource_id: r.json().id,
    });
  });

  it('accepts a temporary 11-digit code and flags it', async () => {
    const r = await t.as(w.a.staff.coordinator.subject, {
      method: 'POST',
      url: '/v1/citizens',
      payload: citizenBody({ fiscalCode: '12345678903' }),
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ fiscalCode: '12345678903', fiscalCodeTemporary: true });
  });

  it('refuses a duplicate codice fiscale in the organisation (409) but not in another organisation', async () => {
    const code = freshFiscalCode();
    expect(
      (
        await t.as(w.a.staff.socialWorker.subject, {
          method: 'POST',
          url: '/v1/citizens',
          payload: citizenBody({ fiscalCode: code }),
        })
      ).statusCode,
    ).toBe(201);
    const before = await countRows(t, 'citizens');
    const again = await t.as(w.a.staff.socialWorker2.subject, {
      method: 'POST',
      url: '/v1/citizens',
      payload: citizenBody({ fiscalCode: code, givenName: 'Other' }),
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
    expect(again.body).not.toContain(code);
    expect(await countRows(t, 'citizens')).toBe(before);
    const elsewhere = await t.as(w.b.staff.socialWorker.subject, {
      method: 'POST',
      url: '/v1/citizens',
      payload: citizenBody({ fiscalCode: code }),
    });
    expect(elsewhere.statusCode).toBe(201);
  });

  it('refuses a wrong check character, naming the field, and writes nothing', async () => {
    const code = freshFiscalCode();
    const wrong = code.slice(0, 15) + (code[15] === 'A' ? 'B' : 'A');
    const before = await countRows(t, 'citizens');
    const r = await t.as(w.a.staff.socialWorker.subject, {
      method: 'POST',
      url: '/v1/citizens',
      payload: citizenBody({ fiscalCode: wrong }),
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().invalidParams.map((p: { name: string }) => p.name)).toEqual(['body/fiscalCode']);
    expect(r.body).not.toContain(wrong);
    expect(await countRows(t, 'citizens')).toBe(before);
  });

  it('validates birth place, citizenship, birth date and addresses', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ birthPlace: 'F20' }, 'body/birthPlace'],
      [{ birthPlace: 'f205' }, 'body/birthPlace'],
      [{ citizenship: '1000' }, 'body/citizenship'],
      [{ birthDate: '2999-01-01' }, 'body/birthDate'],
      [{ birthDate: '1985-02-30' }, 'body/birthDate'],
      [{ sex: 'X' }, 'body/sex'],
      [{ residence: { municipality: 'Milano' } }, 'body/residence/municipality'],
      [{ domicile: { municipality: 'F205', postalCode: '2012' } }, 'body/domicile/postalCode'],
      [{ contacts: { email: 'not-an-email' } }, 'body/contacts/email'],
    ];
    for (const [overrides, field] of cases) {
      const r = await t.as(w.a.staff.socialWorker.subject, {
        method: 'POST',
        url: '/v1/citizens',
        payload: citizenBody(overrides),
      });
      expect(r.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(r.json().invalidParams.map((p: { name: string }) => p.name)).toContain(field);
    }
  });

  it('a retried POST with the same Idempotency-Key registers one citizen', async () => {
    const request = {
      method: 'POST' as const,
      url: '/v1/citizens',
      headers: { 'idempotency-key': 'citizen-retry-0001' },
      payload: citizenBody(),
    };
    const first = await t.as(w.a.staff.socialWorker.subject, request);
    const second = await t.as(w.a.staff.socialWorker.subject, request);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    const { rows } = await t.app.pool.query(
      'select count(*)::int as n from citizens where fiscal_code = $1',
      [request.payload.fiscalCode],
    );
    expect(rows[0].n).toBe(1);
  });
});

describe('reading a citizen', () => {
  it('lists only the cases the caller may see', async () => {
    const citizenId = await createCitizen(t, w.a.staff.socialWorker.subject);
    const minori = await openCase(t, w.a, citizenId);
    const anziani = await openCase(
      t,
      w.a,
      citizenId,
      { teamId: w.a.teams.anziani, userArea: 'elderly', caseManagerId: w.a.staff.socialWorker2.id },
      w.a.staff.coordinatorOther.subject,
    );
    const casesSeenBy = async (subject: string) => {
      const r = await get(subject, citizenId);
      expect(r.statusCode, r.body).toBe(200);
      return r
        .json()
        .cases.map((c: { id: string }) => c.id)
        .sort();
    };
    expect(await casesSeenBy(w.a.staff.socialWorker.subject)).toEqual([minori.id]);
    expect(await casesSeenBy(w.a.staff.socialWorker2.subject)).toEqual([anziani.id]);
    expect(await casesSeenBy(w.a.staff.coordinator.subject)).toEqual([minori.id]);
    expect(await casesSeenBy(w.a.staff.coordinatorOther.subject)).toEqual([anziani.id]);
    expect(await casesSeenBy(w.a.staff.director.subject)).toEqual([minori.id, anziani.id].sort());
    const r = await get(w.a.staff.socialWorker.subject, citizenId);
    expect(r.json().cases[0]).toEqual({
      id: minori.id,
      status: 'referred',
      userArea: 'family_minors',
      teamId: w.a.teams.minori,
    });
    expect(r.headers.etag).toBe('"1"');
    const event = await lastAudit(t, 'citizen.read');
    expect(event).toMatchObject({ citizen_id: citizenId, details: { returnedIds: [minori.id] } });
  });

  it('an educator sees a citizen only through a case it is assigned to', async () => {
    expect((await get(w.a.staff.educator.subject, w.citizenId)).statusCode).toBe(200);
    const stranger = await createCitizen(t, w.a.staff.socialWorker.subject);
    expect((await get(w.a.staff.educator.subject, stranger)).statusCode).toBe(404);
    await openCase(t, w.a, stranger);
    expect((await get(w.a.staff.educator.subject, stranger)).statusCode).toBe(404);
  });

  it('another organisation does not see the citizen (404), whatever its role', async () => {
    for (const key of ['socialWorker', 'coordinator', 'director', 'educator'] as const) {
      expect((await get(w.b.staff[key].subject, w.citizenId)).statusCode).toBe(404);
    }
  });
});

describe('changing a citizen', () => {
  it('needs If-Match (428), a current one (412), and bumps the version', async () => {
    const id = await createCitizen(t, w.a.staff.socialWorker.subject);
    const url = `/v1/citizens/${id}`;
    const subject = w.a.staff.socialWorker.subject;
    expect((await t.as(subject, { method: 'PATCH', url, payload: { givenName: 'Anna' } })).statusCode).toBe(
      428,
    );
    expect(
      (
        await t.as(subject, {
          method: 'PATCH',
          url,
          headers: { 'if-match': '"7"' },
          payload: { givenName: 'Anna' },
        })
      ).statusCode,
    ).toBe(412);
    const temporary = temporaryCode('9876543210');
    const ok = await t.as(subject, {
      method: 'PATCH',
      url,
      headers: { 'if-match': '"1"' },
      payload: { givenName: 'Anna', domicile: { municipality: 'A794' }, fiscalCode: temporary },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json()).toMatchObject({
      givenName: 'Anna',
      domicile: { municipality: 'A794' },
      fiscalCode: temporary,
      fiscalCodeTemporary: true,
      version: 2,
    });
    const event = await lastAudit(t, 'citizen.update');
    expect(event).toMatchObject({ citizen_id: id });
    expect((event!.details!.changed as string[]).sort()).toEqual(['domicile', 'fiscalCode', 'givenName']);
    expect(JSON.stringify(event)).not.toContain('Anna');
  });

  it('refuses an empty patch and an invalid code (400) without changing anything', async () => {
    const id = await createCitizen(t, w.a.staff.socialWorker.subject);
    const url = `/v1/citizens/${id}`;
    const empty = await t.as(w.a.staff.socialWorker.subject, {
      method: 'PATCH',
      url,
      headers: { 'if-match': '"1"' },
      payload: {},
    });
    expect(empty.statusCode).toBe(400);
    const bad = await t.as(w.a.staff.socialWorker.subject, {
      method: 'PATCH',
      url,
      headers: { 'if-match': '"1"' },
      payload: { fiscalCode: '12345678901' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().invalidParams[0].name).toBe('body/fiscalCode');
    const { rows } = await t.app.pool.query('select version from citizens where id = $1', [id]);
    expect(rows[0].version).toBe(1);
  });

  it('an educator changes only a citizen of a case it works on', async () => {
    const current = await get(w.a.staff.educator.subject, w.citizenId);
    const ok = await t.as(w.a.staff.educator.subject, {
      method: 'PATCH',
      url: `/v1/citizens/${w.citizenId}`,
      headers: { 'if-match': current.headers.etag as string },
      payload: { contacts: { phone: '+39 333 1234567' } },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const stranger = await createCitizen(t, w.a.staff.socialWorker.subject);
    const denied = await t.as(w.a.staff.educator.subject, {
      method: 'PATCH',
      url: `/v1/citizens/${stranger}`,
      headers: { 'if-match': '"1"' },
      payload: { givenName: 'X' },
    });
    expect(denied.statusCode).toBe(404);
  });

  it('two concurrent changes with the same ETag: one wins, the other gets 412, nothing is lost', async () => {
    const id = await createCitizen(t, w.a.staff.socialWorker.subject);
    const patch = (payload: object) =>
      t.as(w.a.staff.socialWorker.subject, {
        method: 'PATCH',
        url: `/v1/citizens/${id}`,
        headers: { 'if-match': '"1"' },
        payload,
      });
    const [one, two] = await Promise.all([patch({ givenName: 'Uno' }), patch({ familyName: 'Due' })]);
    expect([one.statusCode, two.statusCode].sort()).toEqual([200, 412]);
    const winner =
      one.statusCode === 200
        ? { given_name: 'Uno', family_name: 'Verdi' }
        : { given_name: 'Giulia', family_name: 'Due' };
    const { rows } = await t.app.pool.query(
      'select given_name, family_name, version from citizens where id = $1',
      [id],
    );
    expect(rows[0]).toEqual({ ...winner, version: 2 });
  });
});

describe('searching citizens', () => {
  it('finds by codice fiscale (any case) and by names, with only the visible cases', async () => {
    const code = freshFiscalCode();
    const id = await createCitizen(t, w.a.staff.socialWorker.subject, {
      fiscalCode: code,
      familyName: 'Esposito',
      givenName: 'Ciro',
      birthDate: '1970-07-07',
    });
    const hidden = await openCase(
      t,
      w.a,
      id,
      { teamId: w.a.teams.anziani, userArea: 'elderly', caseManagerId: w.a.staff.socialWorker2.id },
      w.a.staff.coordinatorOther.subject,
    );

    const byCode = await search(w.a.staff.socialWorker.subject, { fiscalCode: code.toLowerCase() });
    expect(byCode.statusCode, byCode.body).toBe(200);
    expect(byCode.json().items.map((c: { id: string }) => c.id)).toEqual([id]);
    // The person has a case, but not one this social worker may see: nothing says so.
    expect(byCode.json().items[0].cases).toEqual([]);
    expect(byCode.body).not.toContain(hidden.id);

    const byName = await search(w.a.staff.coordinatorOther.subject, {
      familyName: 'esposito',
      givenName: 'CIRO',
    });
    expect(byName.json().items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(byName.json().items[0].cases.map((c: { id: string }) => c.id)).toEqual([hidden.id]);

    const wrongDate = await search(w.a.staff.director.subject, {
      familyName: 'Esposito',
      givenName: 'Ciro',
      birthDate: '1970-07-08',
    });
    expect(wrongDate.json().items).toEqual([]);

    const otherOrganisation = await search(w.b.staff.socialWorker.subject, { fiscalCode: code });
    expect(otherOrganisation.statusCode).toBe(200);
    expect(otherOrganisation.json().items).toEqual([]);
  });

  it('the world’s citizen: its case shows for its workers, not for the unassigned worker, nothing for another organisation', async () => {
    const casesFor = async (subject: string) =>
      (await search(subject, { fiscalCode: 'RSSMRA80A01F205X' }))
        .json()
        .items.map((c: { cases: { id: string }[] }) => c.cases.map((k) => k.id));
    expect(await casesFor(w.a.staff.socialWorker.subject)).toEqual([[w.caseId]]);
    expect(await casesFor(w.a.staff.coordinator.subject)).toEqual([[w.caseId]]);
    expect(await casesFor(w.a.staff.socialWorker2.subject)).toEqual([[]]);
    expect(await casesFor(w.a.staff.coordinatorOther.subject)).toEqual([[]]);
    expect(await casesFor(w.b.staff.director.subject)).toEqual([]);
  });

  it('records the ids returned, never the search terms', async () => {
    const code = freshFiscalCode();
    const id = await createCitizen(t, w.a.staff.socialWorker.subject, {
      fiscalCode: code,
      familyName: 'Gallo',
    });
    await search(w.a.staff.socialWorker.subject, { fiscalCode: code });
    const event = await lastAudit(t, 'citizen.search');
    expect(event).toMatchObject({
      outcome: 'success',
      citizen_id: id,
      details: { returnedIds: [id], returnedCaseIds: [] },
    });
    expect(JSON.stringify(event)).not.toContain(code);
    expect(JSON.stringify(event)).not.toContain('Gallo');
  });

  it('pages name searches with a cursor', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        await createCitizen(t, w.a.staff.socialWorker.subject, { familyName: 'Pagina', givenName: 'Uno' }),
      );
    const first = await search(w.a.staff.socialWorker.subject, {
      familyName: 'Pagina',
      givenName: 'Uno',
      limit: 2,
    });
    expect(first.json().items).toHaveLength(2);
    const second = await search(w.a.staff.socialWorker.subject, {
      familyName: 'Pagina',
      givenName: 'Uno',
      limit: 2,
      cursor: first.json().nextCursor,
    });
    expect(second.json().items).toHaveLength(1);
    expect(second.json().nextCursor).toBeNull();
    expect([...first.json().items, ...second.json().items].map((c: { id: string }) => c.id)).toEqual(
      ids.reverse(),
    );
  });

  it('needs either a codice fiscale or both names, never both kinds (400 naming the field)', async () => {
    const names = async (payload: object) =>
      (await search(w.a.staff.socialWorker.subject, payload))
        .json()
        .invalidParams?.map((p: { name: string }) => p.name);
    expect(await names({})).toEqual(['body/familyName', 'body/givenName']);
    expect(await names({ familyName: 'Rossi' })).toEqual(['body/givenName']);
    expect(await names({ fiscalCode: 'RSSMRA80A01F205X', familyName: 'Rossi' })).toEqual(['body/fiscalCode']);
    expect(await names({ fiscalCode: 'RSSMRA80A01F205Y' })).toEqual(['body/fiscalCode']);
  });

  it('is refused to an educator (403: the role cannot search the registry)', async () => {
    expect((await search(w.a.staff.educator.subject, { fiscalCode: 'RSSMRA80A01F205X' })).statusCode).toBe(
      403,
    );
  });
});
