import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { ChainChecker } from './audit.chain-checker.js';

/**
 * Verification of the audit trail's hash chain (SPEC §7). Every event's hash is recomputed from its stored
 * fields, every `prev_hash` is compared with the hash of the event before it, and the sequence must run
 * 1..N without a gap. The answer names the lowest sequence number where the chain breaks: an altered
 * event's own number, the number of a missing (deleted) event, or the event whose link to its predecessor
 * does not match.
 *
 * The canonical form is defined once, in SQL (`cartella_audit_canonical`, migration 0001), and the writer
 * hashes with it. Recomputing it in SQL for every row (`verificationSql` below, the reference) costs about
 * 6 µs a row in function calls and allocations, ~170,000 events/s per core — short of the 500,000 events/s
 * target on two cores even with parallel workers. So the verifier streams the table once, in binary COPY
 * (no text conversion in the database), and rebuilds the same bytes and hashes them in Node
 * (ChainChecker): the database scans on one core while Node hashes on the other. The two implementations
 * are checked against each other by the tests, on chains written by the real writer.
 *
 * The COPY is one statement, so it sees one consistent snapshot while other instances keep appending. What
 * a hash chain cannot show is the removal of the newest events (the tail): that needs the last hash kept
 * elsewhere (e.g. in a periodic signed report), which is outside this check.
 */
export interface ChainVerification {
  valid: boolean;
  checked: number;
  firstBrokenSequence: number | null;
}

export interface VerifyOptions {
  /** Verification reads the whole table: callers on a pool with a short statement timeout lift it here. */
  statementTimeoutMs?: number;
}

// The columns in the order of the canonical form.
const chainColumns = `seq, occurred_at, actor_id, actor_subject, actor_role, organisation_id, action, resource_type,
  resource_id, citizen_id, case_id, outcome, reason, emergency, request_id, client_address, details`;

// The same columns, then the two hashes (ChainChecker reads them by position), with uuids in their text
// form: PostgreSQL formats them more cheaply than Node, which is the busier side of the stream.
export const chainCopySql = `COPY (SELECT seq, occurred_at, actor_id::text, actor_subject, actor_role, organisation_id::text,
  action, resource_type, resource_id::text, citizen_id::text, case_id::text, outcome, reason, emergency, request_id,
  client_address, details, prev_hash, hash FROM audit_events ORDER BY seq) TO STDOUT (FORMAT binary)`;

export async function verifyAuditChain(pool: pg.Pool, options: VerifyOptions = {}): Promise<ChainVerification> {
  return inReadOnlyTransaction(pool, options, async (client) => {
    const checker = new ChainChecker();
    await pipeline(client.query(copyTo(chainCopySql)), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) checker.push(chunk);
    });
    return checker.result();
  });
}

const genesisHash = `'\\x${'00'.repeat(32)}'::bytea`;

/** The same verification as one SQL pass with window functions: the reference the tests compare with. */
export const verificationSql = `
SELECT count(*)::float8 AS checked,
  min(CASE
    WHEN previous_seq IS NULL AND seq <> 1 THEN 1
    WHEN previous_seq IS NOT NULL AND seq <> previous_seq + 1 THEN previous_seq + 1
    WHEN prev_hash <> coalesce(previous_hash, ${genesisHash}) THEN seq
    WHEN hash <> sha256(prev_hash || cartella_audit_canonical(${chainColumns})) THEN seq
  END)::float8 AS first_broken
FROM (
  SELECT e.*, lag(seq) OVER w AS previous_seq, lag(hash) OVER w AS previous_hash
  FROM audit_events e
  WINDOW w AS (ORDER BY seq)
) chain`;

export async function verifyAuditChainInSql(pool: pg.Pool, options: VerifyOptions = {}): Promise<ChainVerification> {
  return inReadOnlyTransaction(pool, options, async (client) => {
    const { rows } = await client.query<{ checked: number; first_broken: number | null }>(verificationSql);
    const firstBrokenSequence = rows[0]?.first_broken ?? null;
    return { valid: firstBrokenSequence === null, checked: rows[0]?.checked ?? 0, firstBrokenSequence };
  });
}

async function inReadOnlyTransaction<T>(pool: pg.Pool, options: VerifyOptions, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    if (options.statementTimeoutMs !== undefined) {
      await client.query(`SET LOCAL statement_timeout = ${Math.max(0, Math.trunc(options.statementTimeoutMs))}`);
    }
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    // A failure may leave the connection in the middle of a COPY: discard it rather than reuse it.
    client.release(true);
    throw error;
  }
}
