/**
 * Byte-level helpers of the chain checker. This machine class pays ~3 ns a byte for a JS byte loop and
 * ~150 ns for a call into Buffer's C++, so bytes move and compare four at a time through a DataView, and
 * numbers are spelled two digits at a time.
 */
export interface Bytes {
  buffer: Buffer;
  /** A DataView on the same bytes. */
  view: DataView;
}

export const bytesOf = (buffer: Buffer): Bytes => ({ buffer, view: new DataView(buffer.buffer, buffer.byteOffset, buffer.length) });

const [DASH, ZERO] = [0x2d, 0x30];
/** The two decimal digits of 0..99, as one 16-bit big-endian word. */
export const digitPairs = Uint16Array.from({ length: 100 }, (_, n) => ((ZERO + Math.floor(n / 10)) << 8) | (ZERO + (n % 10)));

/** Exact while |value| < 2^53: ample for sequence numbers and microsecond timestamps until year 2255. */
export function int64At(view: DataView, at: number): number {
  return view.getInt32(at) * 4_294_967_296 + view.getUint32(at + 4);
}

/** Any integer of magnitude below 2^53 in decimal, as PostgreSQL's int8out writes it. */
export function writeDecimal(out: DataView, o: number, value: number): number {
  if (value < 0) {
    out.setUint8(o++, DASH);
    value = -value;
  }
  if (value < 100_000_000) return writeSmall(out, o, value);
  // Two parts below 10^8, so that the digit arithmetic stays on small integers rather than doubles.
  const high = Math.floor(value / 100_000_000);
  o = writeSmall(out, o, high);
  return writePadded8(out, o, value - high * 100_000_000);
}

/** 0 ≤ value < 10^8, without leading zeros. */
function writeSmall(out: DataView, o: number, value: number): number {
  let digits = 1;
  for (let bound = 10; digits < 8 && value >= bound; bound *= 10) digits++;
  const last = o + digits;
  let end = last;
  for (; value >= 10; value = (value / 100) | 0) {
    end -= 2;
    out.setUint16(end, digitPairs[value % 100]!);
  }
  if (end > o) out.setUint8(o, ZERO + value);
  return last;
}

/** 0 ≤ value < 10^8 as exactly eight digits. */
function writePadded8(out: DataView, o: number, value: number): number {
  const high = (value / 10_000) | 0;
  const low = value - high * 10_000;
  out.setUint32(o, (digitPairs[(high / 100) | 0]! << 16) | digitPairs[high % 100]!);
  out.setUint32(o + 4, (digitPairs[(low / 100) | 0]! << 16) | digitPairs[low % 100]!);
  return o + 8;
}

/** `length` bytes, four at a time; a long run in one call to Buffer's C++. */
export function copy(out: Bytes, o: number, from: Bytes, start: number, length: number): number {
  if (length > 256) return o + from.buffer.copy(out.buffer, o, start, start + length);
  let i = 0;
  for (; i + 4 <= length; i += 4) out.view.setUint32(o + i, from.view.getUint32(start + i));
  for (; i < length; i++) out.buffer[o + i] = from.buffer[start + i]!;
  return o + length;
}

/** Whether `a[aStart…]` and `b[bStart…]` hold the same `length` bytes, compared four at a time. */
export function sameBytes(a: Bytes, aStart: number, b: Bytes, bStart: number, length: number): boolean {
  let i = 0;
  for (; i + 4 <= length; i += 4) if (a.view.getInt32(aStart + i) !== b.view.getInt32(bStart + i)) return false;
  for (; i < length; i++) if (a.buffer[aStart + i] !== b.buffer[bStart + i]) return false;
  return true;
}

