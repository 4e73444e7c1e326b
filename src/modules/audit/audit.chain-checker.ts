import { hash } from 'node:crypto';
import { bytesOf, copy, int64At, sameBytes, type Bytes } from './audit.bytes.js';
import { canonicalBound, chainColumns, hashColumn, prevHashColumn, seqColumn, writeCanonical } from './audit.canonical.js';
import type { ChainSegment } from './audit.chain-segments.js';
import { CopyTupleReader } from './audit.copy-tuples.js';

/**
 * Checks one segment of the audit hash chain — consecutive events, in seq order — from a binary COPY stream
 * of `chainColumns` (see audit.verification.ts). Within the segment every event's hash is recomputed from its
 * fields and its stored `prev_hash` (SHA-256 of prev_hash ‖ canonical), every `prev_hash` is compared with
 * the hash of the event before it, and the sequence numbers must follow each other. The link of the
 * segment's first event to what precedes it is left to joinSegments, so that segments can be checked apart,
 * in parallel streams, and joined.
 */
export class ChainChecker {
  private readonly reader = new CopyTupleReader(chainColumns.length, (tuple, starts, lengths, tupleBytes) =>
    this.checkEvent(tuple, starts, lengths, tupleBytes),
  );
  private count = 0;
  private firstSeq = 0;
  private firstPrevHash: Buffer | null = null;
  private previousSeq = 0;
  /** The previous event's hash, copied out of its chunk. */
  private previousHash = bytesOf(Buffer.alloc(32));
  private previousHashLength = 0;
  private firstBroken: number | null = null;
  private canonical = bytesOf(Buffer.alloc(canonicalBound(1024)));
  /** Views of `canonical` by length: crypto.hash wants the exact bytes, and a view made per event costs ~0.1 µs. */
  private canonicalViews: Buffer[] = [];

  /** Feeds the next bytes of the COPY stream, `chunk[from, to)`; a tuple may span pushes. */
  push(chunk: Buffer, from = 0, to = chunk.length): void {
    this.reader.push(chunk, from, to);
  }

  result(): ChainSegment {
    if (!this.reader.complete) throw new Error('audit chain stream ended before its trailer');
    if (this.count === 0) return { count: 0, first: null, last: null, firstBroken: null };
    return {
      count: this.count,
      first: { seq: this.firstSeq, prevHash: this.firstPrevHash! },
      last: { seq: this.previousSeq, hash: Buffer.from(this.previousHash.buffer.subarray(0, this.previousHashLength)) },
      firstBroken: this.firstBroken,
    };
  }

  // The checks, in the order of the SQL reference: a gap names the missing number, then the link to the
  // previous event, then the event's own hash. Once the segment is broken the rest is only counted.
  private checkEvent(tuple: Bytes, starts: Int32Array, lengths: Int32Array, tupleBytes: number): void {
    const seq = int64At(tuple.view, starts[seqColumn]!);
    const prevStart = starts[prevHashColumn]!;
    const prevLength = Math.max(0, lengths[prevHashColumn]!);
    if (this.count++ === 0) {
      this.firstSeq = seq;
      this.firstPrevHash = Buffer.from(tuple.buffer.subarray(prevStart, prevStart + prevLength));
      if (!this.hashMatches(tuple, starts, lengths, tupleBytes)) this.firstBroken = seq;
    } else if (this.firstBroken === null) {
      if (seq !== this.previousSeq + 1) this.firstBroken = this.previousSeq + 1;
      else if (prevLength !== this.previousHashLength || !sameBytes(this.previousHash, 0, tuple, prevStart, prevLength)) this.firstBroken = seq;
      else if (!this.hashMatches(tuple, starts, lengths, tupleBytes)) this.firstBroken = seq;
    }
    this.previousSeq = seq;
    this.rememberHash(tuple, starts[hashColumn]!, Math.max(0, lengths[hashColumn]!));
  }

  private hashMatches(tuple: Bytes, starts: Int32Array, lengths: Int32Array, tupleBytes: number): boolean {
    if (this.canonical.buffer.length < canonicalBound(tupleBytes)) {
      this.canonical = bytesOf(Buffer.alloc(2 * canonicalBound(tupleBytes)));
      this.canonicalViews = [];
    }
    const length = writeCanonical(this.canonical, tuple, starts, lengths);
    const input = (this.canonicalViews[length] ??= this.canonical.buffer.subarray(0, length));
    // A 'binary' (latin1) string, one char per byte, is the cheapest digest to get out of crypto.hash: no Buffer.
    const digest = hash('sha256', input, 'binary');
    const start = starts[hashColumn]!;
    if (digest.length !== lengths[hashColumn]) return false;
    for (let i = 0; i < digest.length; i++) if (digest.charCodeAt(i) !== tuple.buffer[start + i]) return false;
    return true;
  }

  private rememberHash(tuple: Bytes, start: number, length: number): void {
    if (length > this.previousHash.buffer.length) this.previousHash = bytesOf(Buffer.alloc(length));
    copy(this.previousHash, 0, tuple, start, length);
    this.previousHashLength = length;
  }
}
