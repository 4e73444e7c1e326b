/**
 * The frontend/backend protocol around a `COPY … TO STDOUT`: after the query the server sends CopyOutResponse,
 * one CopyData message per row, CopyDone, then CommandComplete and ReadyForQuery — or an ErrorResponse at any
 * point. CopyFraming walks those messages in the socket's chunks and hands each CopyData payload to `sink`
 * where it lies, so no row is ever sliced or copied (pg's parser and pg-copy-streams allocate for every row,
 * which costs about as much as hashing it).
 */
export type CopySink = (chunk: Buffer, from: number, to: number) => void;

const [COPY_DATA, COPY_DONE, COPY_OUT_RESPONSE, NOTICE, PARAMETER_STATUS, NOTIFICATION] = [0x64, 0x63, 0x48, 0x4e, 0x53, 0x41];
const headerLength = 5;

export class CopyFraming {
  /** The current message's type and how many of its bytes are still to come. */
  private code = 0;
  private remaining = 0;
  /** A message header cut by the end of a chunk. */
  private readonly header = Buffer.alloc(headerLength);
  private headerBytes = 0;

  constructor(private readonly sink: CopySink) {}

  /**
   * Walks the next chunk. Returns null while the copy goes on; once it is over — after CopyDone, or at a
   * message that is not part of it, such as an ErrorResponse — the rest of the stream, for pg to parse.
   */
  push(chunk: Buffer): Buffer | null {
    let p = 0;
    while (p < chunk.length) {
      if (this.remaining > 0) {
        const end = Math.min(chunk.length, p + this.remaining);
        if (this.code === COPY_DATA) this.sink(chunk, p, end);
        this.remaining -= end - p;
        p = end;
        continue;
      }
      const start = p;
      const whole = this.headerBytes === 0 && p + headerLength <= chunk.length;
      let code: number;
      let length: number;
      if (whole) {
        code = chunk[p]!;
        length = chunk.readUInt32BE(p + 1);
        p += headerLength;
      } else {
        while (this.headerBytes < headerLength && p < chunk.length) this.header[this.headerBytes++] = chunk[p++]!;
        if (this.headerBytes < headerLength) return null;
        this.headerBytes = 0;
        code = this.header[0]!;
        length = this.header.readUInt32BE(1);
      }
      if (code === COPY_DONE) return chunk.subarray(p);
      // pg parses the message from its header on — given back whole when it began in the last chunk.
      if (!isPartOfCopy(code)) return whole ? chunk.subarray(start) : Buffer.concat([this.header, chunk.subarray(p)]);
      this.code = code;
      this.remaining = length - 4;
    }
    return null;
  }
}

/** Messages the server may send while a copy goes on: its data, and the asynchronous ones it lets through. */
function isPartOfCopy(code: number): boolean {
  return code === COPY_DATA || code === COPY_OUT_RESPONSE || code === NOTICE || code === PARAMETER_STATUS || code === NOTIFICATION;
}
