import { hash } from 'node:crypto';

/**
 * Checks the audit hash chain from a binary COPY stream of
 * `seq, occurred_at, actor_id, …, details, prev_hash, hash` ordered by seq (see audit.verification.ts).
 *
 * For every event it rebuilds, byte for byte, what the writer hashed — `prev_hash ‖
 * cartella_audit_canonical(…)` of migration 0001 — and compares SHA-256 of it with the stored hash:
 * the fields joined by '|': seq, occurred_at in epoch microseconds, then each field as `<octets>:<value>`
 * or '~' for NULL (uuids in the text form the COPY sends them in, `emergency` as true/false, `details` as
 * jsonb's text form — which is exactly what binary COPY sends for jsonb after its version byte). It sends
 * text in the client encoding, UTF-8, the encoding `convert_to(…, 'UTF8')` produces: the bytes are copied
 * without decoding.
 */
const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const headerLength = signature.length + 8;
const columnCount = 19;
const [seqColumn, timeColumn, detailsColumn, prevHashColumn, hashColumn] = [0, 1, 16, 17, 18];
/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01), in which timestamptz travels. */
const postgresEpochMicros = 946_684_800_000_000;
const pipe = 0x7c;
const trueText = Buffer.from('true', 'latin1');
const falseText = Buffer.from('false', 'latin1');

export class ChainChecker {
  private pending: Buffer | null = null;
  private headerRead = false;
  private trailerRead = false;
  private checked = 0;
  private previousSeq = 0;
  /** The previous event's hash, copied out of its chunk; all zeros before the first event (genesis). */
  private readonly previousHash = Buffer.alloc(64);
  private previousHashLength = 32;
  private firstBroken: number | null = null;
  private scratch = Buffer.alloc(8192);
  private readonly starts = new Int32Array(columnCount);
  private readonly lengths = new Int32Array(columnCount);

  /** Feeds the next chunk of the COPY stream; a tuple may span chunks. */
  push(chunk: Buffer): void {
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let position = this.headerRead ? 0 : this.readHeader(buffer);
    while (position >= 0 && position + 2 <= buffer.length && !this.trailerRead) {
      const fields = buffer.readInt16BE(position);
      if (fields === -1) {
        this.trailerRead = true;
        position += 2;
        break;
      }
      if (fields !== columnCount) throw new Error(`audit chain stream: expected ${columnCount} columns, got ${fields}`);
      const end = this.locateFields(buffer, position + 2);
      if (end < 0) break;
      this.checkEvent(buffer, end - position);
      position = end;
    }
    this.pending = position < 0 ? buffer : position < buffer.length ? buffer.subarray(position) : null;
  }

  result(): { valid: boolean; checked: number; firstBrokenSequence: number | null } {
    if (!this.trailerRead) throw new Error('audit chain stream ended before its trailer');
    return { valid: this.firstBroken === null, checked: this.checked, firstBrokenSequence: this.firstBroken };
  }

  /** Returns where tuples start, or -1 while the header is incomplete. */
  private readHeader(buffer: Buffer): number {
    if (buffer.length < headerLength) return -1;
    if (!buffer.subarray(0, signature.length).equals(signature)) throw new Error('audit chain stream is not binary COPY');
    const start = headerLength + buffer.readUInt32BE(signature.length + 4);
    if (buffer.length < start) return -1;
    this.headerRead = true;
    return start;
  }

  /** Records each field's offset and length; returns the tuple's end, or -1 if it is not all here yet. */
  private locateFields(buffer: Buffer, from: number): number {
    let p = from;
    for (let i = 0; i < columnCount; i++) {
      if (p + 4 > buffer.length) return -1;
      const length = buffer.readInt32BE(p);
      p += 4;
      this.starts[i] = p;
      this.lengths[i] = length;
      if (length > 0) p += length;
    }
    return p <= buffer.length ? p : -1;
  }

  // The checks, in the order of the SQL reference: a gap names the missing number, then the link to the
  // previous event, then the event's own hash. Once the chain is broken the rest is only counted.
  private checkEvent(buffer: Buffer, tupleBytes: number): void {
    this.checked++;
    const seq = int64At(buffer, this.starts[seqColumn]!);
    if (this.firstBroken === null) {
      const prevStart = this.starts[prevHashColumn]!;
      const prevLength = Math.max(0, this.lengths[prevHashColumn]!);
      if (seq !== this.previousSeq + 1) this.firstBroken = this.previousSeq + 1;
      else if (!sameBytes(this.previousHash, this.previousHashLength, buffer, prevStart, prevLength)) this.firstBroken = seq;
      else if (!this.hashMatches(buffer, seq, tupleBytes)) this.firstBroken = seq;
    }
    this.previousSeq = seq;
    this.previousHashLength = Math.min(64, Math.max(0, this.lengths[hashColumn]!));
    copyBytes(this.previousHash, 0, buffer, this.starts[hashColumn]!, this.previousHashLength);
  }

  /** SHA-256 of prev_hash ‖ cartella_audit_canonical(…), built in a reused buffer, against the stored hash. */
  private hashMatches(buffer: Buffer, seq: number, tupleBytes: number): boolean {
    // Each field gains at most a short length prefix and a separator: twice the tuple is ample.
    if (this.scratch.length < 2 * tupleBytes + 256) this.scratch = Buffer.alloc(4 * tupleBytes + 256);
    const out = this.scratch;
    let o = copyBytes(out, 0, buffer, this.starts[prevHashColumn]!, Math.max(0, this.lengths[prevHashColumn]!));
    o = writeInteger(out, o, seq);
    out[o++] = pipe;
    o = writeInteger(out, o, int64At(buffer, this.starts[timeColumn]!) + postgresEpochMicros);
    // The fields from actor_id to details, each after a '|', in the order of the canonical form.
    o = this.textField(out, o, buffer, 2); // actor_id
    o = this.textField(out, o, buffer, 3); // actor_subject
    o = this.textField(out, o, buffer, 4); // actor_role
    o = this.textField(out, o, buffer, 5); // organisation_id
    o = this.textField(out, o, buffer, 6); // action
    o = this.textField(out, o, buffer, 7); // resource_type
    o = this.textField(out, o, buffer, 8); // resource_id
    o = this.textField(out, o, buffer, 9); // citizen_id
    o = this.textField(out, o, buffer, 10); // case_id
    o = this.textField(out, o, buffer, 11); // outcome
    o = this.textField(out, o, buffer, 12); // reason
    out[o++] = pipe; // emergency, as boolean::text
    o = buffer[this.starts[13]!] ? copyBytes(out, o, trueText, 0, 4) : copyBytes(out, o, falseText, 0, 5);
    o = this.textField(out, o, buffer, 14); // request_id
    o = this.textField(out, o, buffer, 15); // client_address
    o = this.textField(out, o, buffer, detailsColumn, 1); // details: jsonb's text after its version byte
    const digest = hash('sha256', out.subarray(0, o), 'binary');
    return sameDigest(digest, buffer, this.starts[hashColumn]!, this.lengths[hashColumn]!);
  }

  /** `|<octets>:<text>`, or `|~` for NULL (cartella_audit_field); `skip` leading bytes are not part of it. */
  private textField(out: Buffer, o: number, buffer: Buffer, column: number, skip = 0): number {
    out[o++] = pipe;
    const length = this.lengths[column]!;
    if (length < 0) {
      out[o++] = 0x7e; // '~'
      return o;
    }
    o = writeSmallInteger(out, o, length - skip);
    out[o++] = 0x3a; // ':'
    return copyBytes(out, o, buffer, this.starts[column]! + skip, length - skip);
  }
}

/** Exact while |value| < 2^53: ample for sequence numbers and microsecond timestamps until year 2255. */
function int64At(buffer: Buffer, at: number): number {
  return buffer.readInt32BE(at) * 4_294_967_296 + buffer.readUInt32BE(at + 4);
}

// The helpers below write byte by byte: for fields this short, a JS loop beats a call into Buffer's C++.

function copyBytes(out: Buffer, o: number, from: Buffer, start: number, length: number): number {
  if (length > 64) return o + from.copy(out, o, start, start + length);
  for (let i = 0; i < length; i++) out[o++] = from[start + i]!;
  return o;
}

/** A field length in decimal: nearly always one or two digits. */
function writeSmallInteger(out: Buffer, o: number, value: number): number {
  if (value < 10) {
    out[o++] = 0x30 + value;
    return o;
  }
  if (value < 100) {
    out[o++] = 0x30 + ((value / 10) | 0);
    out[o++] = 0x30 + (value % 10);
    return o;
  }
  return writeInteger(out, o, value);
}

const digits = new Uint8Array(24);

/** Any integer below 2^53 in decimal, as PostgreSQL's int8out writes it. */
function writeInteger(out: Buffer, o: number, value: number): number {
  if (value < 0) {
    out[o++] = 0x2d; // '-'
    value = -value;
  }
  // Two halves below 10^8, so that the digit loops run on small integers rather than doubles.
  const high = Math.floor(value / 100_000_000);
  let rest = value - high * 100_000_000;
  let n = 0;
  if (high > 0) {
    for (let i = 0; i < 8; i++, rest = (rest / 10) | 0) digits[n++] = rest % 10;
    rest = high;
  }
  do {
    digits[n++] = rest % 10;
    rest = (rest / 10) | 0;
  } while (rest > 0);
  while (n > 0) out[o++] = 0x30 + digits[--n]!;
  return o;
}

function sameBytes(a: Buffer, aLength: number, b: Buffer, bStart: number, bLength: number): boolean {
  if (aLength !== bLength) return false;
  for (let i = 0; i < aLength; i++) if (a[i] !== b[bStart + i]) return false;
  return true;
}

/** A digest as a 'binary' string (latin1: one char per byte) against the stored bytes, without allocating. */
function sameDigest(digest: string, buffer: Buffer, start: number, length: number): boolean {
  if (digest.length !== length) return false;
  for (let i = 0; i < length; i++) if (digest.charCodeAt(i) !== buffer[start + i]) return false;
  return true;
}
