import { availableParallelism } from 'node:os';
import pg from 'pg';
import { chainColumns } from './audit.canonical.js';
import { joinSegments, type ChainSegment, type ChainVerification } from './audit.chain-segments.js';
import { copyOut } from './audit.copy-out.js';
import { SegmentCheck, type SegmentConsumer } from './audit.segment-check.js';
import { WorkerSegmentCheck } from './audit.worker-segment-check.js';

/**
 * Verification of the audit trail's hash chain (SPEC §7). Every event's hash is recomputed from its stored
 * fields, every `prev_hash` is compared with the hash of the event before it, and the sequence must run
 * 1..N without a gap. The answer names the lowest sequence number where the chain breaks: an altered
 * event's own number, the number of a missing (deleted) event, or the event whose link to its predecessor
 * does not match.
 *
 * The canonical form is defined once, in SQL (`cartella_audit_canonical`, migration 0001), and the writer
 * hashes with it. Recomputing it in SQL for every row (`verificationSql` below, the reference) costs about
 * 6 µs a row in function calls and allocations, ~170,000 events/s per core. So the verifier streams the
 * table in binary COPY (no text conversion in the database; uuids as their 16 bytes), and rebuilds the same
 * bytes and hashes them in Node (ChainChecker). A long chain is cut into consecutive seq ranges, each copied
 * on its own connection and checked in its own worker thread, so that both the database's share of the work
 * (mostly its per-column send functions) and the hashing run on every core; the links across the
 * boundaries are checked when the segments are joined (joinSegments). The two implementations are checked
 * against each other by the tests, on chains written by the real writer; README-audit.md has the figures.
 *
 * The streams share one snapshot (the first transaction exports it, the others import it), so the answer is
 * that of one consistent state of the table while other instances keep appending. What a hash chain cannot
 * show is the removal of the newest events (the tail): that needs the last hash kept elsewhere (e.g. in a
 * periodic signed report), which is outside this check.
 */
export type { ChainVerification } from './audit.chain-segments.js';

export interface VerifyOptions {
  /** Verification reads the whole table: callers on a pool with a short statement timeout lift it here. */
  statementTimeoutMs?: number;
  /** Parallel COPY streams (default: one per CPU for a long chain, one for a short one; never above the pool's size). */
  streams?: number;
}

/** Below this many events a chain goes in one stream, on this thread: connections and workers would cost more than they save. */
const minEventsForParallelStreams = 100_000;

export async function verifyAuditChain(pool: pg.Pool, options: VerifyOptions = {}): Promise<ChainVerification> {
  return inReadOnlyTransactions(pool, options, async (open) => {
    const exporter = await open(null);
    const { rows } = await exporter.query<{ snapshot: string; low: number | null; high: number | null }>(
      'SELECT pg_export_snapshot() AS snapshot, min(seq)::float8 AS low, max(seq)::float8 AS high FROM audit_events',
    );
    const { snapshot, low, high } = rows[0]!;
    if (low === null || high === null) return joinSegments([]);
    const ranges = seqRanges(low, high, streamCount(pool, options, high - low + 1));
    const clients = [exporter];
    while (clients.length < ranges.length) clients.push(await open(snapshot));
    // One stream is checked on this thread; parallel ones each in a worker, so that hashing uses every core.
    const consumers: SegmentConsumer[] = [];
    try {
      for (const _range of ranges) consumers.push(ranges.length > 1 ? new WorkerSegmentCheck() : new SegmentCheck());
      return joinSegments(await Promise.all(ranges.map((range, i) => checkSegment(clients[i]!, range, consumers[i]!))));
    } finally {
      for (const consumer of consumers) consumer.dispose();
    }
  });
}

/** The COPY of the events with `low <= seq <= high`, in the column order ChainChecker reads. */
export const chainCopySql = (low: number, high: number) =>
  `COPY (SELECT ${chainColumns.join(', ')} FROM audit_events WHERE seq BETWEEN ${low} AND ${high} ORDER BY seq) TO STDOUT (FORMAT binary)`;

async function checkSegment(client: pg.PoolClient, [low, high]: [number, number], consumer: SegmentConsumer): Promise<ChainSegment> {
  await copyOut(client, chainCopySql(low, high), consumer);
  return consumer.finish();
}

function streamCount(pool: pg.Pool, options: VerifyOptions, events: number): number {
  const wanted = options.streams ?? (events < minEventsForParallelStreams ? 1 : availableParallelism());
  return Math.max(1, Math.min(wanted, pool.options.max ?? 10, events));
}

/** `count` consecutive, nearly equal seq ranges covering [low, high]. */
export function seqRanges(low: number, high: number, count: number): [number, number][] {
  const size = high - low + 1;
  return Array.from({ length: count }, (_, i) => [low + Math.floor((i * size) / count), low + Math.floor(((i + 1) * size) / count) - 1]);
}

const genesisHash = `'\\x${'00'.repeat(32)}'::bytea`;

/** The same verification as one SQL pass with window functions: the reference the tests compare with. */
export const verificationSql = `
SELECT count(*)::float8 AS checked,
  min(CASE
    WHEN previous_seq IS NULL AND seq <> 1 THEN 1
    WHEN previous_seq IS NOT NULL AND seq <> previous_seq + 1 THEN previous_seq + 1
    WHEN prev_hash <> coalesce(previous_hash, ${genesisHash}) THEN seq
    WHEN hash <> sha256(prev_hash || cartella_audit_canonical(${chainColumns.slice(0, -2).join(', ')})) THEN seq
  END)::float8 AS first_broken
FROM (
  SELECT e.*, lag(seq) OVER w AS previous_seq, lag(hash) OVER w AS previous_hash
  FROM audit_events e
  WINDOW w AS (ORDER BY seq)
) chain`;

export async function verifyAuditChainInSql(pool: pg.Pool, options: VerifyOptions = {}): Promise<ChainVerification> {
  return inReadOnlyTransactions(pool, options, async (open) => {
    const { rows } = await (await open(null)).query<{ checked: number; first_broken: number | null }>(verificationSql);
    const firstBrokenSequence = rows[0]?.first_broken ?? null;
    return { valid: firstBrokenSequence === null, checked: rows[0]?.checked ?? 0, firstBrokenSequence };
  });
}

type OpenTransaction = (snapshot: string | null) => Promise<pg.PoolClient>;

/**
 * Runs `work` with read-only transactions it opens on pool connections — on an exported snapshot when one is
 * given — then commits them all, or on failure discards the connections, which may be in the middle of a COPY.
 */
async function inReadOnlyTransactions<T>(pool: pg.Pool, options: VerifyOptions, work: (open: OpenTransaction) => Promise<T>): Promise<T> {
  const clients: pg.PoolClient[] = [];
  const open: OpenTransaction = async (snapshot) => {
    const client = await pool.connect();
    clients.push(client);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (snapshot !== null) await client.query(`SET TRANSACTION SNAPSHOT ${pg.escapeLiteral(snapshot)}`);
    if (options.statementTimeoutMs !== undefined) {
      await client.query(`SET LOCAL statement_timeout = ${Math.max(0, Math.trunc(options.statementTimeoutMs))}`);
    }
    return client;
  };
  try {
    const result = await work(open);
    for (const client of clients) await client.query('COMMIT');
    for (const client of clients.splice(0)) client.release();
    return result;
  } catch (error) {
    for (const client of clients) client.release(true);
    throw error;
  }
}
