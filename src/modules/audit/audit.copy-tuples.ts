import { bytesOf, type Bytes } from './audit.bytes.js';

/**
 * Reads the binary COPY format — a header, then tuples of `columnCount` fields, each an int32 length (-1 =
 * NULL) and its bytes, then a trailer — from the bytes of a stream pushed in pieces of any size. Each tuple
 * is handed to `onTuple` where it lies, with the offset and length of every field; only a tuple cut by the
 * end of a piece is copied, together with the start of the next piece.
 */
export type TupleHandler = (tuple: Bytes, starts: Int32Array, lengths: Int32Array, tupleBytes: number) => void;

const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Bytes of the next piece joined to a cut tuple at first; a longer tuple takes the whole piece. */
const joinBytes = 4096;

export class CopyTupleReader {
  private headerRead = false;
  private trailerRead = false;
  /** An unfinished tuple from the end of the last piece, then the start of the next one. */
  private carry = bytesOf(Buffer.alloc(2 * joinBytes));
  private carryLength = 0;
  /** The piece's buffer with its view, made once per buffer rather than per tuple. */
  private current = this.carry;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;

  constructor(
    private readonly columnCount: number,
    private readonly onTuple: TupleHandler,
  ) {
    this.starts = new Int32Array(columnCount);
    this.lengths = new Int32Array(columnCount);
  }

  /** Reads `chunk[from, to)`. */
  push(chunk: Buffer, from = 0, to = chunk.length): void {
    if (this.current.buffer !== chunk) this.current = bytesOf(chunk);
    let position = from;
    if (this.carryLength > 0) {
      position = this.finishCarried(chunk, from, to);
      if (position < 0) return;
    }
    const end = this.parse(this.current, position, to, false);
    if (end < to) this.keep(chunk, end, to);
  }

  /** Whether the stream was read to its trailer. */
  get complete(): boolean {
    return this.trailerRead;
  }

  /**
   * Completes the carried tuple with the start of `chunk`; returns where reading goes on in `chunk`, or -1
   * when the whole piece was carried because the tuple is still unfinished.
   */
  private finishCarried(chunk: Buffer, from: number, to: number): number {
    const carried = this.carryLength;
    for (let take = Math.min(to, from + joinBytes); ; take = to) {
      this.carryLength = carried;
      this.keep(chunk, from, take);
      const end = this.parse(this.carry, 0, this.carryLength, true);
      if (end > 0) {
        this.carryLength = 0;
        return from + end - carried;
      }
      if (take === to) return -1;
    }
  }

  /** Appends `chunk[from, to)` to the carried bytes. */
  private keep(chunk: Buffer, from: number, to: number): void {
    const needed = this.carryLength + to - from;
    if (needed > this.carry.buffer.length) {
      this.carry = bytesOf(Buffer.concat([this.carry.buffer.subarray(0, this.carryLength)], 2 * needed));
    }
    chunk.copy(this.carry.buffer, this.carryLength, from, to);
    this.carryLength = needed;
  }

  /** Reads the header, tuples and trailer in `bytes[from, end)` (just one of them if asked); returns where the first unfinished one starts. */
  private parse(bytes: Bytes, from: number, end: number, justOne: boolean): number {
    let p = from;
    if (!this.headerRead) {
      p = this.readHeader(bytes.buffer, p, end);
      if (p === from || justOne) return p;
    }
    while (p + 2 <= end && !this.trailerRead) {
      const fields = bytes.view.getInt16(p);
      if (fields === -1) {
        this.trailerRead = true;
        p += 2;
        break;
      }
      if (fields !== this.columnCount) throw new Error(`binary COPY: expected ${this.columnCount} columns, got ${fields}`);
      const tupleEnd = this.locateFields(bytes.view, p + 2, end);
      if (tupleEnd < 0) break;
      this.onTuple(bytes, this.starts, this.lengths, tupleEnd - p);
      p = tupleEnd;
      if (justOne) break;
    }
    if (this.trailerRead && p < end) throw new Error('binary COPY: data after its trailer');
    return p;
  }

  /** Returns where tuples start, or `from` while the header is incomplete. */
  private readHeader(buffer: Buffer, from: number, end: number): number {
    const fixed = signature.length + 8;
    if (end - from < fixed) return from;
    if (buffer.compare(signature, 0, signature.length, from, from + signature.length) !== 0) throw new Error('not a binary COPY stream');
    const start = from + fixed + buffer.readUInt32BE(from + signature.length + 4);
    if (end < start) return from;
    this.headerRead = true;
    return start;
  }

  /** Records each field's offset and length; returns the tuple's end, or -1 if it is not all here yet. */
  private locateFields(view: DataView, from: number, end: number): number {
    const { starts, lengths } = this;
    let p = from;
    for (let i = 0; i < this.columnCount; i++) {
      if (p + 4 > end) return -1;
      const length = view.getInt32(p);
      p += 4;
      starts[i] = p;
      lengths[i] = length;
      if (length > 0) p += length;
    }
    return p <= end ? p : -1;
  }
}
