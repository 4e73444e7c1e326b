import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { negotiateFormat, neutraliseCell } from './audit.export.js';

describe('neutraliseCell (CSV injection)', () => {
  it('no cell leaves starting with = + - @ tab or CR; safe cells are untouched (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (cell) => {
        const out = neutraliseCell(cell);
        expect(out).not.toMatch(/^[=+\-@\t\r]/);
        expect(out).toBe(/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);
      }),
    );
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'].map(neutraliseCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx"]);
  });
});

describe('negotiateFormat', () => {
  const media = { json: 'application/json', csv: 'text/csv', ndjson: 'application/x-ndjson' } as const;

  it('picks the offered type with the highest q (property)', () => {
    const formats = fc.constantFrom('json', 'csv', 'ndjson') as fc.Arbitrary<keyof typeof media>;
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(formats, fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 3, selector: ([f]) => f }), (ranges) => {
        const header = ranges.map(([f, q]) => `${media[f]};q=${q / 1000}`).join(', ');
        const best = Math.max(...ranges.map(([, q]) => q));
        expect(ranges.filter(([, q]) => q === best).map(([f]) => f)).toContain(negotiateFormat(header));
      }),
    );
  });

  it('JSON when nothing or anything is asked for; 406 when only other types are', () => {
    expect(negotiateFormat(undefined)).toBe('json');
    expect(negotiateFormat('*/*')).toBe('json');
    expect(negotiateFormat('text/*')).toBe('csv');
    expect(negotiateFormat('text/html, */*;q=0.8')).toBe('json');
    expect(negotiateFormat('application/json;q=0.5, text/csv')).toBe('csv');
    expect(() => negotiateFormat('application/xml')).toThrow(AppError);
    expect(() => negotiateFormat('text/csv;q=0')).toThrow(expect.objectContaining({ status: 406 }));
  });
});
