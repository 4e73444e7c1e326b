import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CopyFraming } from './audit.copy-framing.js';

/** A protocol message: type byte, then a length that counts itself and the body. */
function message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const copyOutResponse = message('H', Buffer.from([1, 0, 1, 0, 1]));
const notice = message('N', Buffer.from('SNOTICE\0Mhello\0\0', 'latin1'));
const afterCopy = Buffer.concat([message('C', Buffer.from('COPY 3\0', 'latin1')), message('Z', Buffer.from('I', 'latin1'))]);
const error = message('E', Buffer.from('SERROR\0C22012\0Mdivision by zero\0\0', 'latin1'));

/** Feeds `stream` cut at `cuts`; returns the CopyData payloads joined and what was handed back. */
function walk(stream: Buffer, cuts: number[]) {
  const payload: Buffer[] = [];
  const framing = new CopyFraming((chunk, from, to) => payload.push(Buffer.from(chunk.subarray(from, to))));
  let rest: Buffer | null = null;
  let from = 0;
  for (const cut of [...cuts, stream.length].sort((a, b) => a - b)) {
    if (rest !== null) rest = Buffer.concat([rest, stream.subarray(from, cut)]);
    else rest = framing.push(stream.subarray(from, cut));
    from = cut;
  }
  return { payload: Buffer.concat(payload), rest };
}

const rows = fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 });
const cutsOf = (length: number) => fc.array(fc.integer({ min: 0, max: length }), { maxLength: 12 });

describe('CopyFraming', () => {
  it('passes every CopyData payload on, skips the other copy messages, and hands back what follows CopyDone (property)', () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 0, max: 8 }), (bodies, noticeAt) => {
        const messages = bodies.map((body) => message('d', Buffer.from(body)));
        messages.splice(Math.min(noticeAt, messages.length), 0, notice);
        const stream = Buffer.concat([copyOutResponse, ...messages, message('c'), afterCopy]);
        fc.assert(
          fc.property(cutsOf(stream.length), (cuts) => {
            const { payload, rest } = walk(stream, cuts);
            expect(payload).toEqual(Buffer.concat(bodies.map((body) => Buffer.from(body))));
            expect(rest).toEqual(afterCopy);
          }),
          { numRuns: 20 },
        );
      }),
      { numRuns: 50 },
    );
  });

  it('stops at an error and hands it back whole, even when its header was cut (property)', () => {
    const stream = Buffer.concat([copyOutResponse, message('d', Buffer.from('row')), error, message('Z', Buffer.from('E', 'latin1'))]);
    const errorAt = stream.indexOf(error);
    fc.assert(
      fc.property(cutsOf(stream.length), (cuts) => {
        const { payload, rest } = walk(stream, cuts);
        expect(payload.toString()).toBe('row');
        expect(rest).toEqual(stream.subarray(errorAt));
      }),
      { numRuns: 300 },
    );
    // Every place the error's header can be cut, explicitly.
    for (let cut = errorAt; cut <= errorAt + 5; cut++) expect(walk(stream, [cut]).rest).toEqual(stream.subarray(errorAt));
  });
});
