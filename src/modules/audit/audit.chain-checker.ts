import { hash } from 'node:crypto';

/**
 * Checks the audit hash chain from a binary COPY stream of
 * `seq, occurred_at, actor_id, …, details, prev_hash, hash` ordered by seq (see audit.verification.ts).
 *
 * For every event it rebuilds, byte for byte, what the writer hashed — `prev_hash ‖
 * cartella_audit_canonical(…)` of migration 0001 — and compares SHA-256 of it with the stored hash:
 * the fields joined by '|': seq, occurred_at in epoch microseconds, then each field as `<octets>:<value>`
 * or '~' for NULL (uuids in their 36-character text form, `emergency` as true/false, `details` as jsonb's
 * text form — which is exactly what binary COPY sends for jsonb after its version byte). Binary COPY sends
 * text in the client encoding, UTF-8, the encoding `convert_to(…, 'UTF8')` produces: the bytes are copied
 * without decoding.
 */
const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const headerLength = signature.length + 8;
const columnCount = 19;
const [seqColumn, timeColumn, detailsColumn, prevHashColumn, hashColumn] = [0, 1, 16, 17, 18];
// How each column from actor_id (2) to details (16) enters the canonical form.
const [text, uuid, boolean, jsonb] = [0, 1, 2, 3];
const fieldKinds = Uint8Array.from([text, text, uuid, text, text, uuid, text, text, uuid, uuid, uuid, text, text, boolean, text, text, jsonb]);
/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01), in which timestamptz travels. */
const postgresEpochMicros = 946_684_800_000_000;
const genesisHash = Buffer.alloc(32);
const pipe = 0x7c;
const hexDigits = Buffer.from('0123456789abcdef', 'latin1');
const trueText = Buffer.from('true', 'latin1');
const falseText = Buffer.from('false', 'latin1');

export class ChainChecker {
  private pending: Buffer | null = null;
  private headerRead = false;
  private trailerRead = false;
  private checked = 0;
  private previousSeq: number | null = null;
  private previousHash: Buffer = genesisHash;
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

  private checkEvent(buffer: Buffer, tupleBytes: number): void {
    this.checked++;
    const seq = int64At(buffer, this.starts[seqColumn]!);
    const storedHash = this.field(buffer, hashColumn);
    if (this.firstBroken === null) {
      const prevHash = this.field(buffer, prevHashColumn);
      const expectedSeq = this.previousSeq === null ? 1 : this.previousSeq + 1;
      if (seq !== expectedSeq) this.firstBroken = expectedSeq;
      else if (!prevHash.equals(this.previousHash)) this.firstBroken = seq;
      else if (!sameBytes(hash('sha256', this.canonical(buffer, seq, prevHash, tupleBytes), 'binary'), storedHash)) this.firstBroken = seq;
    }
    this.previousSeq = seq;
    this.previousHash = storedHash;
  }

  private field(buffer: Buffer, column: number): Buffer {
    const start = this.starts[column]!;
    return buffer.subarray(start, start + Math.max(0, this.lengths[column]!));
  }

  /** prev_hash ‖ cartella_audit_canonical(…), written into a reused scratch buffer. */
  private canonical(buffer: Buffer, seq: number, prevHash: Buffer, tupleBytes: number): Buffer {
    // Uuids grow from 16 to 36 bytes and each field gains a short length prefix: twice the tuple is ample.
    if (this.scratch.length < 2 * tupleBytes + 256) this.scratch = Buffer.alloc(4 * tupleBytes + 256);
    const out = this.scratch;
    let o = copyBytes(out, 0, prevHash, 0, prevHash.length);
    o = writeDecimal(out, o, seq);
    out[o++] = pipe;
    o = writeDecimal(out, o, int64At(buffer, this.starts[timeColumn]!) + postgresEpochMicros);
    for (let column = 2; column <= detailsColumn; column++) {
      out[o++] = pipe;
      const start = this.starts[column]!;
      const length = this.lengths[column]!;
      const kind = fieldKinds[column];
      if (kind === boolean) o = buffer[start] ? copyBytes(out, o, trueText, 0, 4) : copyBytes(out, o, falseText, 0, 5);
      else if (length < 0) out[o++] = 0x7e; // '~'
      else if (kind === uuid) o = writeUuid(out, o, buffer, start);
      else if (kind === jsonb) o = writeField(out, o, buffer, start + 1, length - 1); // after jsonb's version byte
      else o = writeField(out, o, buffer, start, length);
    }
    return out.subarray(0, o);
  }
}

/** Exact while |value| < 2^53: ample for sequence numbers and microsecond timestamps until year 2255. */
function int64At(buffer: Buffer, at: number): number {
  return buffer.readInt32BE(at) * 4_294_967_296 + buffer.readUInt32BE(at + 4);
}

// The helpers below write byte by byte: for fields this short, a JS loop beats a call into Buffer's C++.

function writeField(out: Buffer, o: number, buffer: Buffer, start: number, length: number): number {
  o = writeDecimal(out, o, length);
  out[o++] = 0x3a; // ':'
  return copyBytes(out, o, buffer, start, length);
}

function copyBytes(out: Buffer, o: number, from: Buffer, start: number, length: number): number {
  if (length > 64) return o + from.copy(out, o, start, start + length);
  for (let i = 0; i < length; i++) out[o++] = from[start + i]!;
  return o;
}

/** An integer in decimal, as PostgreSQL's int8out writes it. */
function writeDecimal(out: Buffer, o: number, value: number): number {
  // Field lengths are nearly always below 1000: no string for them.
  if (value >= 0 && value < 1000) {
    if (value >= 100) out[o++] = 0x30 + Math.floor(value / 100);
    if (value >= 10) out[o++] = 0x30 + (Math.floor(value / 10) % 10);
    out[o++] = 0x30 + (value % 10);
    return o;
  }
  const digits = String(value);
  for (let i = 0; i < digits.length; i++) out[o++] = digits.charCodeAt(i);
  return o;
}

/** A digest as a 'binary' (latin1: one char per byte) string against the stored bytes, without allocating. */
function sameBytes(digest: string, stored: Buffer): boolean {
  if (digest.length !== stored.length) return false;
  for (let i = 0; i < stored.length; i++) if (digest.charCodeAt(i) !== stored[i]) return false;
  return true;
}

function writeUuid(out: Buffer, o: number, buffer: Buffer, start: number): number {
  out[o++] = 0x33; // '36:'
  out[o++] = 0x36;
  out[o++] = 0x3a;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out[o++] = 0x2d; // '-'
    const byte = buffer[start + i]!;
    out[o++] = hexDigits[byte >> 4]!;
    out[o++] = hexDigits[byte & 15]!;
  }
  return o;
}
