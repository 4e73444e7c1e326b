/**
 * The audit chain verified in segments: consecutive runs of events checked apart (in parallel streams), then
 * joined here in seq order. Each link stands alone — an event's hash covers its stored `prev_hash`, and that
 * must equal the stored hash of the event before — so a segment can be checked without its predecessor; what
 * is left for the join is the link across each boundary: the sequence must go on without a gap, and the
 * first `prev_hash` of a segment must be the last hash of the one before (32 zero bytes before seq 1).
 */
export interface ChainSegment {
  count: number;
  first: { seq: number; prevHash: Buffer } | null;
  last: { seq: number; hash: Buffer } | null;
  /** The lowest seq where the chain breaks inside the segment, its first event's link excepted. */
  firstBroken: number | null;
}

export interface ChainVerification {
  valid: boolean;
  checked: number;
  firstBrokenSequence: number | null;
}

const genesisHash = Buffer.alloc(32);

/** Segments in seq order, together covering the whole table; names the lowest broken link as the SQL reference does. */
export function joinSegments(segments: ChainSegment[]): ChainVerification {
  let checked = 0;
  let firstBroken: number | null = null;
  let previous: { seq: number; hash: Buffer } = { seq: 0, hash: genesisHash };
  for (const segment of segments) {
    checked += segment.count;
    if (!segment.first || !segment.last) continue;
    if (firstBroken === null) {
      // In the order of the SQL reference: a gap names the missing number, then the link, then the inside.
      if (segment.first.seq !== previous.seq + 1) firstBroken = previous.seq + 1;
      else if (!segment.first.prevHash.equals(previous.hash)) firstBroken = segment.first.seq;
      else firstBroken = segment.firstBroken;
    }
    previous = segment.last;
  }
  return { valid: firstBroken === null, checked, firstBrokenSequence: firstBroken };
}
