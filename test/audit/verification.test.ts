import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinSegments } from '../../src/modules/audit/audit.chain-segments.js';
import { SegmentCheck } from '../../src/modules/audit/audit.segment-check.js';
import { chainCopySql, verifyAuditChain, verifyAuditChainInSql } from '../../src/modules/audit/audit.verification.js';
import type { AuditEventInput } from '../../src/platform/audit/audit-event.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { appendEvents, rawCopy, tamper as tamperWith } from './support.js';

/**
 * The tamper evidence of the audit trail (SPEC §7): the database refuses changes, and verification names
 * the first broken link — exactly the altered event, or the number of the deleted one. Verification runs
 * in Node over a binary COPY (for speed); the one-pass SQL formulation is the reference it must agree with.
 */
let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
});
afterAll(async () => t?.close());

const noNul = (s: string) => !s.includes('\u0000');
const text = fc.string({ unit: 'binary', maxLength: 40 }).filter(noNul);
const eventArbitrary: fc.Arbitrary<Partial<AuditEventInput>> = fc.record({
  occurredAt: fc.date({ min: new Date('1901-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }),
  actorId: fc.option(fc.uuid(), { nil: null }),
  actorSubject: fc.option(text, { nil: null }),
  actorRole: fc.option(text, { nil: null }),
  organisationId: fc.option(fc.uuid(), { nil: null }),
  action: text,
  resourceType: fc.option(text, { nil: null }),
  resourceId: fc.option(fc.uuid(), { nil: null }),
  citizenId: fc.option(fc.uuid(), { nil: null }),
  caseId: fc.option(fc.uuid(), { nil: null }),
  outcome: fc.constantFrom('success', 'denied', 'rejected', 'error'),
  reason: fc.option(text, { nil: null }),
  emergency: fc.boolean(),
  requestId: fc.option(text, { nil: null }),
  clientAddress: fc.option(text, { nil: null }),
  details: fc.option(fc.dictionary(text, fc.jsonValue().filter((v) => noNul(JSON.stringify(v))), { maxKeys: 4 }), { nil: null }),
});

const verifyApi = async () => {
  const response = await t.as(w.a.staff.auditor.subject, { method: 'GET', url: '/v1/audit-events/verification' });
  expect(response.statusCode).toBe(200);
  return response.json() as { valid: boolean; checked: number; firstBrokenSequence: number | null };
};

async function bothVerifiers() {
  const fast = await verifyAuditChain(t.app.pool);
  expect(await verifyAuditChainInSql(t.app.pool)).toEqual(fast);
  return fast;
}

async function eventCount(): Promise<number> {
  const { rows } = await t.app.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
  return rows[0]!.n;
}

const tamper = (statement: string, values: unknown[] = []) => tamperWith(t.app.pool, statement, values);

describe('hash chain verification', () => {
  it('any event contents written by the writer verify, and Node and SQL verifiers agree (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArbitrary, { minLength: 1, maxLength: 12 }), async (events) => {
        await appendEvents(t.app, events);
        const result = await bothVerifiers();
        expect(result).toEqual({ valid: true, checked: await eventCount(), firstBrokenSequence: null });
      }),
      { numRuns: 30 },
    );
  });

  it('the COPY stream verifies the same however the socket cuts it into chunks (property)', async () => {
    const bytes = await rawCopy(t.app.pool, chainCopySql(1, Number.MAX_SAFE_INTEGER));
    const checkInChunks = (cuts: number[]) => {
      const check = new SegmentCheck();
      let from = 0;
      for (const cut of [...cuts, bytes.length].sort((a, b) => a - b)) {
        check.onChunk(bytes.subarray(from, cut));
        from = cut;
      }
      return joinSegments([check.result()]);
    };
    expect(checkInChunks([])).toEqual({ valid: true, checked: await eventCount(), firstBrokenSequence: null });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 40 }), (cuts) => {
        expect(checkInChunks(cuts)).toEqual(checkInChunks([]));
      }),
      { numRuns: 100 },
    );
    const truncated = new SegmentCheck();
    truncated.onChunk(bytes.subarray(0, bytes.length - 8));
    expect(() => truncated.result()).toThrow(/trailer/);
  });

  it('an altered event is named by its own sequence number, whatever field was changed (property)', async () => {
    const n = await eventCount();
    const changes = [
      `action = action || 'x'`,
      `actor_subject = coalesce(actor_subject, '') || 'x'`,
      `organisation_id = gen_random_uuid()`,
      `occurred_at = occurred_at + interval '1 microsecond'`,
      `emergency = NOT emergency`,
      `details = coalesce(details, '{}'::jsonb) || '{"x": 1}'`,
      `reason = NULL, request_id = coalesce(request_id, '') || 'x'`,
      `prev_hash = sha256(prev_hash)`,
      `hash = sha256(hash)`,
    ];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: n }), fc.constantFrom(...changes), async (seq, change) => {
        const { rows } = await t.app.pool.query('SELECT * FROM audit_events WHERE seq = $1', [seq]);
        const original = rows[0] as Record<string, unknown>;
        await tamper(`UPDATE audit_events SET ${change} WHERE seq = $1`, [seq]);
        expect(await bothVerifiers()).toEqual({ valid: false, checked: n, firstBrokenSequence: seq });
        const columns = Object.keys(original).filter((c) => c !== 'seq');
        await tamper(`UPDATE audit_events SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE seq = $1`, [seq, ...columns.map((c) => original[c])]);
        expect((await bothVerifiers()).valid).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('GET /v1/audit-events/verification names an altered event; restoring it makes the chain valid again', async () => {
    const before = await verifyApi();
    expect(before).toMatchObject({ valid: true, firstBrokenSequence: null });
    const { rows } = await t.app.pool.query<{ action: string }>('SELECT action FROM audit_events WHERE seq = 5');
    await tamper(`UPDATE audit_events SET action = 'case.forgotten' WHERE seq = 5`);
    const broken = await verifyApi();
    expect(broken).toMatchObject({ valid: false, firstBrokenSequence: 5 });
    expect(broken.checked).toBeGreaterThan(before.checked);
    await tamper('UPDATE audit_events SET action = $1 WHERE seq = 5', [rows[0]!.action]);
    expect(await verifyApi()).toMatchObject({ valid: true, firstBrokenSequence: null });
  });

  it('a re-hashed event still breaks the link to the next one', async () => {
    const { rows } = await t.app.pool.query<{ action: string; hash: Buffer }>('SELECT action, hash FROM audit_events WHERE seq = 7');
    // The forger recomputes the event's own hash with the same canonical function; the next prev_hash betrays it.
    await tamper(`UPDATE audit_events SET action = 'case.forgotten',
      hash = sha256(prev_hash || cartella_audit_canonical(seq, occurred_at, actor_id, actor_subject, actor_role, organisation_id,
        'case.forgotten', resource_type, resource_id, citizen_id, case_id, outcome, reason, emergency, request_id, client_address, details))
      WHERE seq = 7`);
    expect(await bothVerifiers()).toMatchObject({ valid: false, firstBrokenSequence: 8 });
    await tamper('UPDATE audit_events SET action = $1, hash = $2 WHERE seq = 7', [rows[0]!.action, rows[0]!.hash]);
    expect((await bothVerifiers()).valid).toBe(true);
  });

  it('a deleted event is named by its missing sequence number (the newest one is beyond a chain’s reach)', async () => {
    for (const seq of [1, 3, Math.floor((await eventCount()) / 2)]) {
      const n = await eventCount();
      const { rows } = await t.app.pool.query('SELECT * FROM audit_events WHERE seq = $1', [seq]);
      const row = rows[0] as Record<string, unknown>;
      await tamper('DELETE FROM audit_events WHERE seq = $1', [seq]);
      expect(await bothVerifiers()).toEqual({ valid: false, checked: n - 1, firstBrokenSequence: seq });
      if (seq === 3) expect(await verifyApi()).toEqual({ valid: false, checked: n - 1, firstBrokenSequence: 3 });
      const columns = Object.keys(row);
      await t.app.pool.query(`INSERT INTO audit_events (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, columns.map((c) => row[c]));
      expect((await bothVerifiers()).valid).toBe(true);
    }
    // Two missing in a row: the first of them is named.
    const { rows } = await t.app.pool.query('SELECT * FROM audit_events WHERE seq IN (10, 11) ORDER BY seq');
    await tamper('DELETE FROM audit_events WHERE seq IN (10, 11)');
    expect(await bothVerifiers()).toMatchObject({ valid: false, firstBrokenSequence: 10 });
    for (const row of rows as Record<string, unknown>[]) {
      const columns = Object.keys(row);
      await t.app.pool.query(`INSERT INTO audit_events (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, columns.map((c) => row[c]));
    }
    expect((await bothVerifiers()).valid).toBe(true);
  });

  it('verification is audited as audit.verify', async () => {
    await verifyApi();
    const { rows } = await t.app.pool.query(`SELECT action, actor_id, outcome FROM audit_events ORDER BY seq DESC LIMIT 1`);
    expect(rows[0]).toEqual({ action: 'audit.verify', actor_id: w.a.staff.auditor.id, outcome: 'success' });
  });
});

describe('append-only', () => {
  const refused = { code: '42501', message: expect.stringMatching(/append-only/) };

  it('UPDATE, DELETE and TRUNCATE through the normal connection are refused by the database', async () => {
    await expect(t.app.pool.query(`UPDATE audit_events SET action = 'x' WHERE seq = 1`)).rejects.toMatchObject({ ...refused, message: expect.stringMatching(/UPDATE refused/) });
    await expect(t.app.pool.query('DELETE FROM audit_events WHERE seq = 1')).rejects.toMatchObject({ ...refused, message: expect.stringMatching(/DELETE refused/) });
    await expect(t.app.pool.query('TRUNCATE audit_events')).rejects.toMatchObject({ ...refused, message: expect.stringMatching(/TRUNCATE refused/) });
    expect((await bothVerifiers()).valid).toBe(true);
  });

  it('the production role setup (README): the application role may INSERT and SELECT, nothing more', async () => {
    const role = `cartella_app_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const client = await t.app.pool.connect();
    try {
      await client.query(`CREATE ROLE ${role} NOLOGIN`);
      await client.query(`GRANT SELECT, INSERT ON audit_events TO ${role}`);
      await client.query('BEGIN');
      await client.query(`SET LOCAL ROLE ${role}`);
      expect((await client.query('SELECT count(*) FROM audit_events')).rowCount).toBe(1);
      for (const statement of [
        `UPDATE audit_events SET action = 'x' WHERE seq = 1`,
        'DELETE FROM audit_events WHERE seq = 1',
        'TRUNCATE audit_events',
        'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete',
      ]) {
        await client.query('SAVEPOINT attempt');
        await expect(client.query(statement), statement).rejects.toMatchObject({ code: '42501' });
        await client.query('ROLLBACK TO SAVEPOINT attempt');
      }
      await client.query('ROLLBACK');
    } finally {
      await client.query('ROLLBACK').catch(() => {});
      await client.query(`REVOKE ALL ON audit_events FROM ${role}`);
      await client.query(`DROP ROLE ${role}`);
      client.release();
    }
  });
});
