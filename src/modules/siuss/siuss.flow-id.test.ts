import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowIdDate, formatFlowId, isFlowId, parseFlowId } from './siuss.flow-id.js';

describe('formatFlowId / parseFlowId', () => {
  it('formats EEEEE.TIPO.AAAAMMGG.NNNNNNN', () => {
    expect(formatFlowId({ enteCode: 'H501', kind: 'PS_PSA_SINA', date: '2021-05-20', progressive: 2 })).toBe(
      'H501.PS.20210520.0000002',
    );
    expect(
      formatFlowId({ enteCode: 'H501', kind: 'SINBA', date: '2026-02-13', progressive: 9_999_999 }),
    ).toBe('H501.SINBA.20260213.9999999');
  });

  it('parses the ids of the INPS examples that follow the format', () => {
    expect(parseFlowId('H501.PS.20210520.0000002')).toEqual({
      enteCode: 'H501',
      kind: 'PS_PSA_SINA',
      date: '2021-05-20',
      progressive: 2,
    });
    expect(parseFlowId('H501.SINBA.20210520.0000003')?.kind).toBe('SINBA');
  });

  it.each([
    ['H501.PS.20210520.00000004', '8-digit progressive (api-comuni.yaml example)'],
    ['H501.PS.INPS.20160423.115235', 'the old Nome layout of the Flusso schema example'],
    ['H501.PSA.20210520.0000001', 'TIPO other than PS or SINBA'],
    ['H501.PS.20210230.0000001', 'no such date'],
    ['H501.PS.20210520.0000000', 'progressive 0'],
    ['h501.PS.20210520.0000001', 'lower-case ente'],
  ])('rejects %s (%s)', (id) => {
    expect(parseFlowId(id)).toBeNull();
    expect(isFlowId(id)).toBe(false);
  });

  it('checks the kind on request', () => {
    expect(isFlowId('H501.PS.20210520.0000002', 'PS_PSA_SINA')).toBe(true);
    expect(isFlowId('H501.PS.20210520.0000002', 'SINBA')).toBe(false);
  });

  it.each([
    [{ enteCode: 'H5.1', kind: 'PS_PSA_SINA', date: '2021-05-20', progressive: 1 }],
    [{ enteCode: 'H501', kind: 'PS_PSA_SINA', date: '2021-02-29', progressive: 1 }],
    [{ enteCode: 'H501', kind: 'SINBA', date: '2021-05-20', progressive: 10_000_000 }],
    [{ enteCode: 'H501', kind: 'SINBA', date: '2021-05-20', progressive: 1.5 }],
  ] as const)('refuses to format %o', (parts) => {
    expect(() => formatFlowId(parts)).toThrow(RangeError);
  });

  it('round-trips, and every id fits IdentificazioneFlusso@Nome (≤ 50) and id_flusso (≤ 64)', () => {
    const day = 86_400_000;
    const parts = fc.record({
      enteCode: fc.stringMatching(/^[A-Z0-9]{1,27}$/),
      kind: fc.constantFrom('PS_PSA_SINA' as const, 'SINBA' as const),
      date: fc
        .integer({ min: Date.UTC(1900, 0, 1) / day, max: Date.UTC(9999, 11, 31) / day })
        .map((d) => new Date(d * day).toISOString().slice(0, 10)),
      progressive: fc.integer({ min: 1, max: 9_999_999 }),
    });
    fc.assert(
      fc.property(parts, (p) => {
        const id = formatFlowId(p);
        expect(id.length).toBeLessThanOrEqual(50);
        expect(parseFlowId(id)).toEqual(p);
      }),
    );
  });
});

describe('flowIdDate', () => {
  it('uses the Italian calendar day, not UTC', () => {
    expect(flowIdDate(new Date('2026-02-12T23:30:00Z'))).toBe('2026-02-13'); // CET, UTC+1
    expect(flowIdDate(new Date('2026-07-12T22:30:00Z'))).toBe('2026-07-13'); // CEST, UTC+2
    expect(flowIdDate(new Date('2026-07-12T21:59:59Z'))).toBe('2026-07-12');
  });
});
