import { digitPairs, int64At, writeDecimal, type Bytes } from './audit.bytes.js';

/**
 * The Node twin of `cartella_audit_canonical` (migration 0001), built from one binary COPY tuple of
 * `chainColumns`: the bytes the writer hashed, `prev_hash ‖ canonical`. The canonical form joins with '|':
 * seq, occurred_at in epoch microseconds, then each field as `<octets>:<value>` or '~' for NULL — uuids in
 * their text form, `emergency` as true/false, `details` as jsonb's text form (what binary COPY sends for
 * jsonb after its version byte). Text arrives in the client encoding, UTF-8, which is what
 * `convert_to(…, 'UTF8')` produces, so it is copied without decoding.
 *
 * uuids travel in binary (16 bytes) and are spelled out here: `uuid::text` costs PostgreSQL ~0.4 µs a value,
 * five times per event, against a few table look-ups in Node.
 */
export const chainColumns = [
  'seq', 'occurred_at', 'actor_id', 'actor_subject', 'actor_role', 'organisation_id', 'action', 'resource_type',
  'resource_id', 'citizen_id', 'case_id', 'outcome', 'reason', 'emergency', 'request_id', 'client_address', 'details',
  'prev_hash', 'hash',
] as const;
export const [seqColumn, timeColumn, detailsColumn, prevHashColumn, hashColumn] = [0, 1, 16, 17, 18];

/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01), in which timestamptz travels. */
const postgresEpochMicros = 946_684_800_000_000;
const [PIPE, COLON, TILDE, DASH, ZERO] = [0x7c, 0x3a, 0x7e, 0x2d, 0x30];
/** '|36:', what precedes every uuid (its text form has 36 octets). */
const uuidPrefix = 0x7c33363a;
const nullWord = (PIPE << 8) | TILDE;
const [pipeTrue, pipeFals] = [0x7c747275, 0x7c66616c]; // '|tru', '|fal'
/** The two lower-case hex digits of every byte value, as one 16-bit big-endian word. */
const hexPairs = Uint16Array.from({ length: 256 }, (_, b) => (hexDigit(b >> 4) << 8) | hexDigit(b & 15));

/** An upper bound of the canonical bytes of a tuple of `tupleBytes` (uuids grow from 16 to 36 bytes), with slack for word writes. */
export const canonicalBound = (tupleBytes: number) => 2 * tupleBytes + 512;

/**
 * Writes `prev_hash ‖ cartella_audit_canonical(…)` of the tuple whose fields start at `starts` (length -1 =
 * NULL) into `out`, which holds at least canonicalBound(tuple length) bytes; returns the length written.
 */
export function writeCanonical(out: Bytes, tuple: Bytes, starts: Int32Array, lengths: Int32Array): number {
  let o = copyField(out, 0, tuple, starts[prevHashColumn]!, Math.max(0, lengths[prevHashColumn]!));
  o = writeDecimal(out.view, o, int64At(tuple.view, starts[seqColumn]!));
  out.buffer[o++] = PIPE;
  o = writeDecimal(out.view, o, int64At(tuple.view, starts[timeColumn]!) + postgresEpochMicros);
  o = uuidField(out, o, tuple, starts, lengths, 2); // actor_id
  o = textField(out, o, tuple, starts, lengths, 3); // actor_subject
  o = textField(out, o, tuple, starts, lengths, 4); // actor_role
  o = uuidField(out, o, tuple, starts, lengths, 5); // organisation_id
  o = textField(out, o, tuple, starts, lengths, 6); // action
  o = textField(out, o, tuple, starts, lengths, 7); // resource_type
  o = uuidField(out, o, tuple, starts, lengths, 8); // resource_id
  o = uuidField(out, o, tuple, starts, lengths, 9); // citizen_id
  o = uuidField(out, o, tuple, starts, lengths, 10); // case_id
  o = textField(out, o, tuple, starts, lengths, 11); // outcome
  o = textField(out, o, tuple, starts, lengths, 12); // reason
  o = booleanField(out, o, tuple, starts, 13); // emergency (NOT NULL)
  o = textField(out, o, tuple, starts, lengths, 14); // request_id
  o = textField(out, o, tuple, starts, lengths, 15); // client_address
  return textField(out, o, tuple, starts, lengths, detailsColumn, 1); // details: jsonb's text after its version byte
}

// Each field is written after its '|', with whole 32-bit words where it can: a word that runs past the field
// is overwritten by what follows, and `out` has slack at its end.

/** `|<octets>:<text>`, or `|~` for NULL (cartella_audit_field); `skip` leading bytes are not part of the text. */
function textField(out: Bytes, o: number, tuple: Bytes, starts: Int32Array, lengths: Int32Array, column: number, skip = 0): number {
  const length = lengths[column]! - skip;
  if (length < 0) {
    out.view.setUint16(o, nullWord);
    return o + 2;
  }
  if (length < 10) {
    out.view.setUint32(o, (PIPE << 24) | ((ZERO + length) << 16) | (COLON << 8));
    o += 3;
  } else if (length < 100) {
    out.view.setUint32(o, (PIPE << 24) | (digitPairs[length]! << 8) | COLON);
    o += 4;
  } else {
    out.buffer[o] = PIPE;
    o = writeDecimal(out.view, o + 1, length);
    out.buffer[o++] = COLON;
  }
  return copyField(out, o, tuple, starts[column]! + skip, length);
}

/** `|36:` and the 8-4-4-4-12 lower-case form `uuid::text` produces from the 16 bytes of binary COPY, or `|~`. */
function uuidField(out: Bytes, o: number, tuple: Bytes, starts: Int32Array, lengths: Int32Array, column: number): number {
  const view = out.view;
  if (lengths[column]! < 0) {
    view.setUint16(o, nullWord);
    return o + 2;
  }
  view.setUint32(o, uuidPrefix);
  const start = starts[column]!;
  const [a, b, c, d] = [tuple.view.getUint32(start), tuple.view.getUint32(start + 4), tuple.view.getUint32(start + 8), tuple.view.getUint32(start + 12)];
  writeHexWord(view, o + 4, a);
  view.setUint8(o + 12, DASH);
  view.setUint32(o + 13, (hexPairs[b >>> 24]! << 16) | hexPairs[(b >>> 16) & 255]!);
  view.setUint8(o + 17, DASH);
  view.setUint32(o + 18, (hexPairs[(b >>> 8) & 255]! << 16) | hexPairs[b & 255]!);
  view.setUint8(o + 22, DASH);
  view.setUint32(o + 23, (hexPairs[c >>> 24]! << 16) | hexPairs[(c >>> 16) & 255]!);
  view.setUint8(o + 27, DASH);
  view.setUint32(o + 28, (hexPairs[(c >>> 8) & 255]! << 16) | hexPairs[c & 255]!);
  writeHexWord(view, o + 32, d);
  return o + 40;
}

/** `|true` or `|false`, as `boolean::text`. */
function booleanField(out: Bytes, o: number, tuple: Bytes, starts: Int32Array, column: number): number {
  if (tuple.buffer[starts[column]!]) {
    out.view.setUint32(o, pipeTrue);
    out.buffer[o + 4] = 0x65; // 'e'
    return o + 5;
  }
  out.view.setUint32(o, pipeFals);
  out.view.setUint16(o + 4, 0x7365); // 'se'
  return o + 6;
}

/**
 * `length` bytes, a word at a time. It may read up to three bytes past the field: every field it copies is
 * followed, in the tuple, by at least another field's 4-byte length.
 */
function copyField(out: Bytes, o: number, from: Bytes, start: number, length: number): number {
  if (length > 256) return o + from.buffer.copy(out.buffer, o, start, start + length);
  for (let i = 0; i < length; i += 4) out.view.setUint32(o + i, from.view.getUint32(start + i));
  return o + length;
}

/** Eight hex digits of a 32-bit word. */
function writeHexWord(out: DataView, o: number, word: number): void {
  out.setUint32(o, (hexPairs[word >>> 24]! << 16) | hexPairs[(word >>> 16) & 255]!);
  out.setUint32(o + 4, (hexPairs[(word >>> 8) & 255]! << 16) | hexPairs[word & 255]!);
}

function hexDigit(nibble: number): number {
  return nibble < 10 ? ZERO + nibble : 0x61 + nibble - 10;
}
