import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinSegments } from '../../src/modules/audit/audit.chain-segments.js';
import { copyOut } from '../../src/modules/audit/audit.copy-out.js';
import { SegmentCheck } from '../../src/modules/audit/audit.segment-check.js';
import { chainCopySql, seqRanges, verifyAuditChain, verifyAuditChainInSql } from '../../src/modules/audit/audit.verification.js';
import { WorkerSegmentCheck } from '../../src/modules/audit/audit.worker-segment-check.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { appendEvents, rawCopy, tamper as tamperWith } from './support.js';

/**
 * Verification in parallel streams: consecutive seq ranges, each checked in a worker thread, joined at the
 * boundaries. Wherever a break falls — inside a range, on either side of a boundary, a missing event at a
 * boundary — the answer must be the one-pass SQL reference's. (Chains this short go in one stream unless
 * asked: the tests ask.)
 */
let t: TestApp;
const eventCount = 60;
beforeAll(async () => {
  t = await buildTestApp();
  await appendEvents(
    t.app,
    // Fields of every length class the checker writes differently: NULL, 1–2 and 3-digit lengths, over 256 bytes.
    Array.from({ length: eventCount }, (_, i) => ({
      action: `case.read.${i}`,
      actorId: i % 2 ? randomUUID() : null,
      actorSubject: i % 4 ? null : 'ü'.repeat(i * 3),
      emergency: i % 7 === 0,
      details: i % 3 ? null : { returnedIds: [randomUUID()], note: 'é'.repeat(i * 5) },
    })),
  );
});
afterAll(async () => t?.close());

const tamper = (statement: string, values: unknown[] = []) => tamperWith(t.app.pool, statement, values);

/** Every way of verifying: the SQL reference, one stream on this thread, 2–5 streams in workers. */
async function allVerifiers() {
  const reference = await verifyAuditChainInSql(t.app.pool);
  for (const streams of [1, 2, 3, 5]) expect(await verifyAuditChain(t.app.pool, { streams }), `${streams} streams`).toEqual(reference);
  return reference;
}

/** Runs `check` with the event `seq` changed by `change`, then puts it back as it was. */
async function withAltered(seq: number, change: string, check: () => Promise<void>) {
  const { rows } = await t.app.pool.query('SELECT * FROM audit_events WHERE seq = $1', [seq]);
  const original = rows[0] as Record<string, unknown>;
  await tamper(`UPDATE audit_events SET ${change} WHERE seq = $1`, [seq]);
  try {
    await check();
  } finally {
    const columns = Object.keys(original).filter((c) => c !== 'seq');
    await tamper(`UPDATE audit_events SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE seq = $1`, [seq, ...columns.map((c) => original[c])]);
  }
}

/** Runs `check` without the events `seqs`, then puts them back. */
async function withDeleted(seqs: number[], check: () => Promise<void>) {
  const { rows } = await t.app.pool.query('SELECT * FROM audit_events WHERE seq = ANY($1) ORDER BY seq', [seqs]);
  await tamper('DELETE FROM audit_events WHERE seq = ANY($1)', [seqs]);
  try {
    await check();
  } finally {
    for (const row of rows as Record<string, unknown>[]) {
      const columns = Object.keys(row);
      await t.app.pool.query(`INSERT INTO audit_events (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, columns.map((c) => row[c]));
    }
  }
}

describe('verification in parallel streams', () => {
  it('splits the seq span into consecutive ranges that cover it exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 16 }), (low, span, count) => {
        const ranges = seqRanges(low, low + span, Math.min(count, span + 1));
        expect(ranges[0]![0]).toBe(low);
        expect(ranges.at(-1)![1]).toBe(low + span);
        for (const [i, [from, to]] of ranges.entries()) {
          expect(to).toBeGreaterThanOrEqual(from);
          if (i > 0) expect(from).toBe(ranges[i - 1]![1] + 1);
        }
      }),
    );
  });

  it('a valid chain verifies the same in any number of streams', async () => {
    expect(await allVerifiers()).toEqual({ valid: true, checked: eventCount, firstBrokenSequence: null });
  });

  it('an event altered inside a range or on either side of a boundary is named by its seq (property)', async () => {
    const changes = [`action = action || 'x'`, `emergency = NOT emergency`, `details = coalesce(details, '{}'::jsonb) || '{"x": 1}'`, `prev_hash = sha256(prev_hash)`, `hash = sha256(hash)`];
    const boundarySeqs = [2, 3, 4].flatMap((streams) => seqRanges(1, eventCount, streams).flatMap(([from, to]) => [from, to]));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...boundarySeqs), fc.integer({ min: 1, max: eventCount })), fc.constantFrom(...changes), async (seq, change) => {
        await withAltered(seq, change, async () => {
          expect(await allVerifiers()).toEqual({ valid: false, checked: eventCount, firstBrokenSequence: seq });
        });
      }),
      { numRuns: 15 },
    );
    expect((await allVerifiers()).valid).toBe(true);
  }, 120_000);

  it('a re-hashed event at the end of a range breaks the link into the next range, which is named', async () => {
    const lastOfFirst = seqRanges(1, eventCount, 3)[0]![1];
    const rehash = `action = 'case.forgotten', hash = sha256(prev_hash || cartella_audit_canonical(seq, occurred_at, actor_id, actor_subject,
      actor_role, organisation_id, 'case.forgotten', resource_type, resource_id, citizen_id, case_id, outcome, reason, emergency, request_id,
      client_address, details))`;
    await withAltered(lastOfFirst, rehash, async () => {
      expect(await allVerifiers()).toMatchObject({ valid: false, firstBrokenSequence: lastOfFirst + 1 });
    });
  });

  it('a missing event is named at a boundary, inside a range, and as the very first', async () => {
    const [first, second] = seqRanges(1, eventCount, 3);
    const [lastOfFirst, firstOfSecond] = [first![1], second![0]];
    for (const seqs of [[firstOfSecond], [lastOfFirst], [lastOfFirst, firstOfSecond], [1], [eventCount - 5]]) {
      await withDeleted(seqs, async () => {
        expect(await allVerifiers()).toEqual({ valid: false, checked: eventCount - seqs.length, firstBrokenSequence: seqs[0] });
      });
    }
    expect((await allVerifiers()).valid).toBe(true);
  });

  it('a worker checks a segment exactly as this thread does, and fails on a truncated stream', async () => {
    const bytes = await rawCopy(t.app.pool, chainCopySql(11, 40));
    const here = new SegmentCheck();
    here.onChunk(bytes);
    const inWorker = new WorkerSegmentCheck();
    for (let from = 0; from < bytes.length; from += 1000) inWorker.onChunk(bytes.subarray(from, from + 1000));
    expect(await inWorker.finish()).toEqual(here.result());
    inWorker.dispose();
    expect(joinSegments([here.result()])).toMatchObject({ valid: false, firstBrokenSequence: 1 }); // starts at 11

    const truncated = new WorkerSegmentCheck();
    truncated.onChunk(bytes.subarray(0, bytes.length - 8));
    await expect(truncated.finish()).rejects.toThrow(/trailer/);
    truncated.dispose();
  });
});

describe('copyOut', () => {
  it('a COPY that fails at once or midway rejects with the server’s error, and the connection stays usable', async () => {
    const client = await t.app.pool.connect();
    try {
      const ignore = { onChunk: () => {} };
      await expect(copyOut(client, 'COPY (SELECT * FROM no_such_table) TO STDOUT', ignore)).rejects.toMatchObject({ code: '42P01' });
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      const failsMidway = 'COPY (SELECT 1 / (3000 - g) FROM generate_series(1, 5000) g) TO STDOUT (FORMAT binary)';
      await expect(copyOut(client, failsMidway, ignore)).rejects.toMatchObject({ code: '22012' });
      expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    } finally {
      client.release();
    }
  });
});
